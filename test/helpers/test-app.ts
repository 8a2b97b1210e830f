import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp, CreateAppConfig } from '../../src/bootstrap';

export interface GraphQLResponse<T = any> {
  status: number;
  data: T;
  errors?: Array<{ message: string; extensions?: Record<string, any> }>;
}

export interface TestApp {
  app: INestApplication;
  db: DataSource;
  http: () => ReturnType<typeof request>;
  /** POST a GraphQL operation over HTTP, as a plan-shopping site would. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run tests through jest with test/jest.config.js');
  return url;
}

/** `overrides` are settings given to createApp, which win over the environment. */
export async function startTestApp(overrides: Partial<CreateAppConfig> = {}): Promise<TestApp> {
  const app = await createApp({ dbPoolSize: 10, ...overrides }, testDatabaseUrl(), { logger: false });
  await app.init();
  const server = app.getHttpServer();
  return {
    app,
    db: app.get(DataSource),
    http: () => request(server),
    async gql(query, variables, headers = {}) {
      const response = await request(server).post('/graphql').set(headers).send({ query, variables });
      return { status: response.status, data: response.body.data, errors: response.body.errors };
    },
    close: () => app.close(),
  };
}
