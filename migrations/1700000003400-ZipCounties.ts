import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counties, and the county of each US ZIP code, so network size and breadth can be told per county (the
 * unit plan service areas and the Marketplace API use). A ZIP code crossing a county line is put in the
 * county holding most of it, as the GeoNames postal code file does; `migrations/data/README.md` says
 * where the file comes from.
 */
export class ZipCounties1700000003400 implements MigrationInterface {
  name = 'ZipCounties1700000003400';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE county (
        fips  text PRIMARY KEY CHECK (fips ~ '^[0-9]{5}$'),
        name  text NOT NULL,
        state text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE zip_county (
        zip         text PRIMARY KEY CHECK (zip ~ '^[0-9]{5}$'),
        county_fips text NOT NULL REFERENCES county (fips)
      )`);
    const rows = parseZipCounties(readFileSync(join(__dirname, 'data', 'zip-counties.csv'), 'utf8'));
    const counties = new Map(rows.map((row) => [row.countyFips, row]));
    await q.query(`INSERT INTO county (fips, name, state) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, [
      [...counties.keys()],
      [...counties.values()].map((row) => row.countyName),
      [...counties.values()].map((row) => row.state),
    ]);
    await q.query(`INSERT INTO zip_county (zip, county_fips) SELECT * FROM unnest($1::text[], $2::text[])`, [
      rows.map((row) => row.zip),
      rows.map((row) => row.countyFips),
    ]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE zip_county`);
    await q.query(`DROP TABLE county`);
  }
}

interface ZipCountyRow {
  zip: string;
  countyFips: string;
  countyName: string;
  state: string;
}

/** `zip,county_fips,county_name,state` with a header; every row checked (5-digit codes, a name, a 2-letter state). */
function parseZipCounties(text: string): ZipCountyRow[] {
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  return records.map((record, i) => {
    const row = { zip: record.zip, countyFips: record.county_fips, countyName: record.county_name, state: record.state };
    if (!/^\d{5}$/.test(row.zip) || !/^\d{5}$/.test(row.countyFips) || !row.countyName || !/^[A-Z]{2}$/.test(row.state)) {
      throw new Error(`zip-counties.csv: unreadable row ${i + 2}: ${JSON.stringify(record)}`);
    }
    return row;
  });
}
