import { dropCreatedDatabase } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await dropCreatedDatabase();
  const database = (globalThis as any).__TEST_DATABASE__;
  if (database) {
    (globalThis as any).__TEST_DATABASE__ = undefined;
    await database.stop();
  }
}
