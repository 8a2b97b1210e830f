export default async function globalTeardown(): Promise<void> {
  const database = (globalThis as any).__TEST_DATABASE__;
  if (database) await database.stop();
}
