import { DataSource } from 'typeorm';
import { seedDemoData } from '../../seeds/seed-database';
import { testDatabaseUrl } from './test-app';

/** Providers in the test copy of the demo data: small, and always containing the DEMO_FIXTURES cases. */
export const TEST_DEMO_PROVIDERS = 400;

/** Loads the demo carriers once per test run (test files share one database). */
export async function ensureDemoData(db: DataSource): Promise<void> {
  const [row] = await db.query(`SELECT current_version_id FROM issuer WHERE issuer_id = '10001'`);
  if (row?.current_version_id) return;
  await seedDemoData(testDatabaseUrl(), TEST_DEMO_PROVIDERS);
}
