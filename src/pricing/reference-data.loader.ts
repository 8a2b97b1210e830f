import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { EntityManager } from 'typeorm';
import { Database } from '../database/database';
import { NOTIFY_PUBLISHED } from '../database/publish-notifications';
import { CrosswalkRow, parseCrosswalkCsv, parsePriceCsv, PriceRow } from './reference-csv';

export interface ReferenceLoadResult {
  file: string;
  /** Rows in the file, all upserted (a row for an rxnorm_id already loaded replaces it). */
  rows: number;
}

/** Rows per INSERT: unnest() arrays keep it one statement per chunk whatever the file size. */
const CHUNK = 5_000;

function chunks<T>(rows: T[]): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) result.push(rows.slice(i, i + CHUNK));
  return result;
}

async function upsertCrosswalk(tx: EntityManager, rows: CrosswalkRow[]): Promise<void> {
  for (const chunk of chunks(rows)) {
    await tx.query(
      `INSERT INTO drug_ingredient (rxnorm_id, drug_name, ingredient, strength, dose_form, is_brand)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[])
       ON CONFLICT (rxnorm_id) DO UPDATE SET
         drug_name = EXCLUDED.drug_name, ingredient = EXCLUDED.ingredient, strength = EXCLUDED.strength,
         dose_form = EXCLUDED.dose_form, is_brand = EXCLUDED.is_brand, loaded_at = now()`,
      [
        chunk.map((r) => r.rxnormId),
        chunk.map((r) => r.drugName),
        chunk.map((r) => r.ingredient),
        chunk.map((r) => r.strength),
        chunk.map((r) => r.doseForm),
        chunk.map((r) => r.isBrand),
      ],
    );
  }
}

async function upsertPrices(tx: EntityManager, rows: PriceRow[]): Promise<void> {
  for (const chunk of chunks(rows)) {
    await tx.query(
      `INSERT INTO drug_price (rxnorm_id, price_per_30_days, source, as_of)
       SELECT * FROM unnest($1::text[], $2::numeric[], $3::text[], $4::date[])
       ON CONFLICT (rxnorm_id) DO UPDATE SET
         price_per_30_days = EXCLUDED.price_per_30_days, source = EXCLUDED.source, as_of = EXCLUDED.as_of, loaded_at = now()`,
      [chunk.map((r) => r.rxnormId), chunk.map((r) => r.pricePer30Days), chunk.map((r) => r.source), chunk.map((r) => r.asOf)],
    );
  }
}

/**
 * Answers read the reference tables (generic equivalents, prices) outside any published version: a load
 * moves the table's version, which the answers' ETags and cache keys include (PublishedFingerprint), and
 * is announced like a publish (the fast path forgets what it remembered). Both on commit only.
 */
async function loaded(tx: EntityManager, table: 'drug_ingredient' | 'drug_price'): Promise<void> {
  await tx.query(`UPDATE reference_data_version SET version = version + 1, loaded_at = now() WHERE name = $1`, [table]);
  await tx.query(NOTIFY_PUBLISHED);
}

/** Loads an ingredient/strength crosswalk CSV (all or nothing: a bad line loads none of the file). */
export async function loadDrugCrosswalk(db: Database, path: string): Promise<ReferenceLoadResult> {
  const rows = parseCrosswalkCsv(basename(path), await readFile(path, 'utf8'));
  await db.transaction(async (tx) => {
    await upsertCrosswalk(tx, rows);
    await loaded(tx, 'drug_ingredient');
  });
  return { file: path, rows: rows.length };
}

/** Loads a drug price CSV (all or nothing). */
export async function loadDrugPrices(db: Database, path: string): Promise<ReferenceLoadResult> {
  const rows = parsePriceCsv(basename(path), await readFile(path, 'utf8'));
  await db.transaction(async (tx) => {
    await upsertPrices(tx, rows);
    await loaded(tx, 'drug_price');
  });
  return { file: path, rows: rows.length };
}
