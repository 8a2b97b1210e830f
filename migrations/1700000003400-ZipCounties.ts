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

/** `zip,county_fips,county_name,state` with a header; a name holding a comma is double-quoted. */
function parseZipCounties(text: string): ZipCountyRow[] {
  const rows: ZipCountyRow[] = [];
  for (const line of text.split('\n').slice(1)) {
    if (!line) continue;
    const match = /^(\d{5}),(\d{5}),("(?:[^"]|"")*"|[^,]*),([A-Z]{2})$/.exec(line);
    if (!match) throw new Error(`zip-counties.csv: unreadable line ${JSON.stringify(line)}`);
    const [, zip, countyFips, name, state] = match;
    rows.push({ zip, countyFips, countyName: name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name, state });
  }
  return rows;
}
