import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QhpImporter } from '../../src/ingest/qhp-importer';

/**
 * Two issuers that publish only part of the QHP files, so answers on their plans are "not reported"
 * (DataNotProvided), never "not covered":
 * - 33333 publishes its plan and a formulary, but no provider directory;
 * - 22222 publishes its plan and a provider directory (Dr. Dora Lindqvist), but no formulary.
 * Loaded through the real importer, from the files in test/rest/fixtures.
 */
export const FORMULARY_ONLY = {
  issuerId: '33333',
  issuerName: 'Formulary Only Health',
  planId: '33333WY0010001',
  files: ['plans.json', 'drugs.json'],
} as const;
export const DIRECTORY_ONLY = {
  issuerId: '22222',
  issuerName: 'Directory Only Health',
  planId: '22222WY0010001',
  files: ['plans.json', 'providers.json'],
  npi: '1222200010',
} as const;

export async function loadPartialIssuers(db: DataSource): Promise<void> {
  for (const issuer of [FORMULARY_ONLY, DIRECTORY_ONLY]) {
    const [row] = await db.query(`SELECT current_version_id FROM issuer WHERE issuer_id = $1`, [issuer.issuerId]);
    if (row?.current_version_id) continue;
    const result = await new QhpImporter(db).import({
      issuerId: issuer.issuerId,
      issuerName: issuer.issuerName,
      paths: issuer.files.map((file) => join(__dirname, 'fixtures', issuer.issuerId, file)),
      source: 'test',
      loadedBy: 'test',
    });
    if (result.status === 'failed') throw new Error(`fixture load of ${issuer.issuerId} failed: ${JSON.stringify(result.report)}`);
  }
}
