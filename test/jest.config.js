/**
 * `npm test`: unit specs beside the code (src/**\/*.spec.ts, pure logic, no database) and end-to-end tests
 * (test/**\/*.e2e-spec.ts): GraphQL over HTTP against a real PostgreSQL (embedded, or a database of their own on the TEST_DATABASE_URL server).
 */
const shared = {
  rootDir: `${__dirname}/..`,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
};

module.exports = {
  rootDir: `${__dirname}/..`,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Only the end-to-end project starts PostgreSQL.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
  // Global options: jest reads neither from a project.
  testTimeout: 120000,
  maxWorkers: 1,
};
