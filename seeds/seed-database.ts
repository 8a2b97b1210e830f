import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { Database } from '../src/database/database';
import { QhpImporter } from '../src/ingest/qhp-importer';
import { writeQhpFiles } from './write-qhp-files';
import { loadDemoReferenceData } from '../src/pricing/demo-reference-data';

/**
 * Generates the deterministic demo carriers as QHP files and loads them through the real import
 * path (validation, COPY, publish), exactly as a carrier's upload would arrive.
 */
export async function seedDemoData(databaseUrl: string, providers: number, log: (line: string) => void = () => undefined): Promise<void> {
  const db = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize: 4 }));
  await db.initialize();
  const dir = await mkdtemp(join(tmpdir(), 'coverage-seed-'));
  try {
    const issuers = await writeQhpFiles(dir, { providers });
    const importer = new QhpImporter(db);
    for (const issuer of issuers) {
      const result = await importer.import({
        issuerId: issuer.issuerId,
        issuerName: issuer.issuerName,
        paths: [issuer.indexPath],
        source: 'seed',
        loadedBy: 'seed',
      });
      log(`seeded issuer ${issuer.issuerId}: ${JSON.stringify(result.counts)}`);
    }
    await loadDemoReferenceData(new Database(db), log);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.destroy();
  }
}

/** Seeds only a database with no published data, so a restart keeps what was loaded. */
export async function seedDemoDataIfEmpty(databaseUrl: string, providers: number, log: (line: string) => void = () => undefined): Promise<boolean> {
  const db = new DataSource(buildDataSourceOptions({ url: databaseUrl, poolSize: 1 }));
  await db.initialize();
  let empty: boolean;
  try {
    const [{ published }] = await db.query(`SELECT count(*)::int AS published FROM issuer WHERE current_version_id IS NOT NULL`);
    empty = published === 0;
  } finally {
    await db.destroy();
  }
  if (!empty) {
    log('database already holds published data: not seeding');
    return false;
  }
  log(`seeding demo data (${providers} providers)…`);
  await seedDemoData(databaseUrl, providers, log);
  return true;
}
