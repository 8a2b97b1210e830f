import { DataSource } from 'typeorm';
import type { ImportRequest, ImportResult } from '../ingest/import-contract';
import { resolveSourceFiles } from '../ingest/read/input-resolver';
import { cleanUpAbandonedLoads, QhpImporter } from '../ingest/qhp-importer';

export const QHP_IMPORT_RUNNER = Symbol('QHP_IMPORT_RUNNER');

/** The importer as uploads need it; a seam so the job machinery can be tested with a scripted importer. */
export interface QhpImportRunner {
  /**
   * Checks, without loading, that the files make a load by the importer's own rules (an index's
   * files are all there, a plans file is present...); throws the importer's ImportError otherwise.
   */
  checkFiles(request: ImportRequest): Promise<void>;
  import(request: ImportRequest): Promise<ImportResult>;
  /** Marks loads whose heartbeat stopped (their process died) as failed and drops their rows. */
  cleanUpAbandonedLoads(staleAfterMs: number): Promise<unknown>;
}

export function createQhpImportRunner(db: DataSource): QhpImportRunner {
  return {
    checkFiles: async (request) => {
      await resolveSourceFiles(request);
    },
    import: (request) => new QhpImporter(db).import(request),
    cleanUpAbandonedLoads: (staleAfterMs) => cleanUpAbandonedLoads(db, staleAfterMs),
  };
}
