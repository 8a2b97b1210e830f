/**
 * EXPLAIN (ANALYZE, BUFFERS) of the hot queries on a seeded database, flagging sequential scans of the
 * big tables (provider, provider_address, listing_network_set, formulary_entry; network_membership is a view
 * joining listing_network_set to the small network_set).
 *
 *   npx ts-node --transpile-only bench/explain/explain-hot-queries.ts [--providers 1000000]
 *       [--search-indexes during|after] [--pg-dir DIR] [--import DIR/cms-data-index.json]
 *
 * --import: instead of the demo seed, loads these QHP files (issuer 70001) through the importer, e.g. the
 * dense shape carriers publish (every plan of each network listed on each listing), generated and kept by
 * `npm run bench:ingest -- --providers 1000000 --plans 40 --networks 3 --data-dir DIR`.
 *
 * Seeds N demo providers (seeds/write-qhp-files.ts) through the real importer into a throwaway embedded
 * PostgreSQL (or a kept one with --pg-dir, seeded once), runs ANALYZE, then explains every hot query with
 * the exact SQL and parameters the services send: network and drug checks are recorded from
 * NetworkService / DrugCoverageService themselves (in a Nest application), the search and research
 * queries come from their builders.
 *
 * --search-indexes after: drops the SearchIndexes migration's indexes before the import and builds them
 * afterwards, timing both, to show what those indexes cost the ingest.
 */
import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SearchIndexes1700000000200 } from '../../migrations/1700000000200-SearchIndexes';
import { createApp } from '../../src/bootstrap';
import { buildDataSourceOptions, runMigrations } from '../../src/database/data-source-options';
import { DatabaseHandle, startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { applySearchSettings, Database, RESEARCH_QUERY, SearchOptions } from '../../src/database/database';
import { explainPreparedLookup } from '../../src/database/explain-lookup';
import { DrugCoverageService } from '../../src/formulary/drug-coverage.service';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { countNetworkSets } from '../../src/ingest/store/network-set-counts';
import { NetworksService } from '../../src/networks/networks.service';
import { NetworkService } from '../../src/providers/network.service';
import { FormularyStatsService } from '../../src/research/formulary-stats.service';
import { BreadthGroupBy, SortDirection } from '../../src/research/network-breadth.model';
import { NetworkBreadthService } from '../../src/research/network-breadth.service';
import { buildDrugSearchQuery, buildPlansCoveringQuery } from '../../src/search/drug-search.service';
import { ProviderSearchOrder } from '../../src/search/provider-search.model';
import { buildProviderSearchQuery } from '../../src/search/provider-search.service';
import { BuiltQuery } from '../../src/search/sql-params';
import { writeQhpFiles } from '../../seeds/write-qhp-files';

const WATCHED_TABLES = ['provider', 'provider_address', 'listing_network_set', 'formulary_entry'];
// The tables are partitioned by dataset version: a scan names the partition, e.g. provider_v12.
const SEQ_SCAN = new RegExp(`Seq Scan on (${WATCHED_TABLES.join('|')})(?:_v\\d+)?\\b`, 'g');

interface Options {
  providers: number;
  searchIndexes: 'during' | 'after';
  pgDir: string | null;
  /** QHP files (a cms-data-index.json) to import instead of seeding demo data. */
  importPath: string | null;
}

/** The issuer the files given with --import are loaded as (bench:ingest's). */
const IMPORTED_ISSUER = '70001';

function parseArgs(argv: string[]): Options {
  const options: Options = { providers: 1_000_000, searchIndexes: 'during', pgDir: null, importPath: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    if (arg === '--providers') {
      options.providers = Number(value.replace(/_/g, ''));
      if (!Number.isInteger(options.providers) || options.providers < 1) throw new Error('--providers needs a positive whole number');
    } else if (arg === '--search-indexes') {
      if (value !== 'during' && value !== 'after') throw new Error('--search-indexes is "during" or "after"');
      options.searchIndexes = value;
    } else if (arg === '--pg-dir') {
      options.pgDir = value;
    } else if (arg === '--import') {
      options.importPath = value;
    } else {
      throw new Error(`unknown option ${arg} (see the header of bench/explain/explain-hot-queries.ts)`);
    }
  }
  return options;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * Records every statement the application's services send: TypeORM's query runners and Database.read() both
 * report each statement to the DataSource's logger, so its logQuery is wrapped.
 */
function recordStatements(db: DataSource, log: BuiltQuery[]): void {
  const logQuery = db.logger.logQuery.bind(db.logger);
  db.logger.logQuery = (sql, params, runner) => {
    log.push({ sql, params: params ?? [] });
    return logQuery(sql, params, runner);
  };
}

async function seed(db: DataSource, options: Options): Promise<void> {
  const [{ published }] = await db.query(`SELECT count(*)::int AS published FROM issuer WHERE current_version_id IS NOT NULL`);
  if (published > 0) {
    console.log(`database already holds ${published} published issuers: not seeding`);
    return;
  }
  const searchIndexes = new SearchIndexes1700000000200();
  const runner = db.createQueryRunner();
  if (options.searchIndexes === 'after') await searchIndexes.down(runner);

  const dir = await mkdtemp(join(tmpdir(), 'explain-qhp-'));
  try {
    let started = process.hrtime.bigint();
    const issuers = options.importPath
      ? [{ issuerId: IMPORTED_ISSUER, issuerName: 'Bench issuer', indexPath: options.importPath }]
      : await writeQhpFiles(dir, { providers: options.providers });
    if (!options.importPath) console.log(`wrote QHP files for ${options.providers} providers in ${seconds(started).toFixed(1)} s`);
    started = process.hrtime.bigint();
    const importer = new QhpImporter(db);
    for (const issuer of issuers) {
      const issuerStarted = process.hrtime.bigint();
      const result = await importer.import({
        issuerId: issuer.issuerId,
        issuerName: issuer.issuerName,
        paths: [issuer.indexPath],
        source: 'bench',
        loadedBy: 'explain',
      });
      console.log(`  imported ${issuer.issuerId}: ${result.counts.providers ?? 0} providers in ${seconds(issuerStarted).toFixed(1)} s (${result.status})`);
    }
    const importSeconds = seconds(started);
    console.log(
      `import of ${options.providers} providers (search indexes ${options.searchIndexes === 'during' ? 'maintained during the load' : 'absent'}): ` +
        `${importSeconds.toFixed(1)} s, ${Math.round(options.providers / importSeconds)} providers/s`,
    );
    if (options.searchIndexes === 'after') {
      started = process.hrtime.bigint();
      await searchIndexes.up(runner);
      console.log(`building the search indexes afterwards: ${seconds(started).toFixed(1)} s`);
    }
  } finally {
    await runner.release();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Real values to query with: the busiest ZIP and specialty, sampled NPIs, plans and drugs. */
async function sampleInputs(db: DataSource) {
  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => (await db.query(sql, params))[0] as T;
  const published = 'JOIN issuer i ON i.current_version_id = p.version_id';
  const { state } = await one<{ state: string }>(`SELECT p.state FROM plan p ${published} GROUP BY p.state ORDER BY count(*) DESC LIMIT 1`);
  const plans: Array<{ plan_id: string; year: number | null }> = await db.query(
    `SELECT p.plan_id, p.years[1] AS year FROM plan p ${published} WHERE p.state = $1 ORDER BY p.plan_id LIMIT 5`,
    [state],
  );
  const npis: string[] = (await db.query(`SELECT p.npi FROM provider p ${published} WHERE p.npi IS NOT NULL AND p.record_no % 997 = 0 LIMIT 10`)).map(
    (r: { npi: string }) => r.npi,
  );
  const person = await one<{ display_name: string; first_name: string; last_name: string }>(
    `SELECT p.display_name, p.first_name, p.last_name FROM provider p ${published}
      WHERE p.type = 'INDIVIDUAL' AND length(p.first_name) > 3 AND length(p.last_name) > 3 ORDER BY p.record_no OFFSET 4242 LIMIT 1`,
  );
  const { zip } = await one<{ zip: string }>(`SELECT zip FROM provider_address WHERE state = $1 GROUP BY zip ORDER BY count(*) DESC LIMIT 1`, [state]);
  const { specialty } = await one<{ specialty: string }>(
    `SELECT s AS specialty FROM (SELECT unnest(specialties) AS s FROM provider TABLESAMPLE SYSTEM (5)) x GROUP BY s ORDER BY count(*) DESC LIMIT 1`,
  );
  const drugs: Array<{ rxnorm_id: string; drug_name: string }> = await db.query(
    `SELECT f.rxnorm_id, min(d.drug_name) AS drug_name FROM formulary_entry f JOIN drug d USING (version_id, rxnorm_id)
      WHERE f.plan_id = $1 GROUP BY f.rxnorm_id ORDER BY count(*) DESC, f.rxnorm_id LIMIT 10`,
    [plans[0].plan_id],
  );
  // A typo a shopper makes: two letters of the first name swapped, one letter of the last name dropped.
  const { first_name: first, last_name: last } = person;
  const typo = `${first[0]}${first[2]}${first[1]}${first.slice(3)} ${last.slice(0, -2)}${last.slice(-1)}`.toLowerCase();
  // Every plan of the issuer with the most listings: breadth over a whole issuer's plans.
  const issuerPlans: string[] = (
    await db.query(
      `SELECT p.plan_id FROM plan p ${published}
        WHERE p.issuer_id = (SELECT i.issuer_id FROM issuer i JOIN provider p ON p.version_id = i.current_version_id GROUP BY i.issuer_id ORDER BY count(*) DESC LIMIT 1)
        ORDER BY p.plan_id`,
    )
  ).map((r: { plan_id: string }) => r.plan_id);
  return { state, plans, issuerPlans, npis, name: person.display_name, typo, zip, specialty, drugs, year: plans[0].year ?? undefined };
}

interface Explained {
  name: string;
  statements: number;
  planningMs: number;
  executionMs: number;
  seqScans: string[];
}

/**
 * How the API runs a statement: 'search' statements (Database.search) with a custom plan and their settings;
 * 'lookup' statements (Database.read) prepared, with their generic plan (see src/database/plan-cache.ts), so
 * what is explained is the plan the API executes, with no planning on each execution.
 */
type ExplainMode = { kind: 'search'; settings: SearchOptions } | { kind: 'lookup' };

async function explain(db: DataSource, name: string, queries: BuiltQuery[], mode: ExplainMode): Promise<Explained> {
  const result: Explained = { name, statements: 0, planningMs: 0, executionMs: 0, seqScans: [] };
  console.log(`\n=== ${name}${mode.kind === 'lookup' ? ' (prepared, generic plan: as the API runs it)' : ''}`);
  for (const query of queries) {
    const runner = db.createQueryRunner();
    try {
      let plan: string;
      if (mode.kind === 'lookup') {
        plan = await explainPreparedLookup(runner, query.sql, query.params);
      } else {
        await runner.startTransaction();
        await applySearchSettings(runner, mode.settings); // the settings the service runs the query with
        await runner.query(query.sql, query.params); // warm the cache: the plans below are steady-state
        const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.params);
        await runner.rollbackTransaction();
        plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      }
      console.log(`--- ${query.sql.replace(/\s+/g, ' ').trim().slice(0, 160)}…`);
      console.log(plan);
      result.statements++;
      result.planningMs += Number(/Planning Time: ([\d.]+)/.exec(plan)?.[1] ?? 0);
      result.executionMs += Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? 0);
      // A branch the executor never ran (the listings' CASE branch of a version counted at load) reads nothing.
      const ran = plan
        .split('\n')
        .filter((line) => !line.includes('(never executed)'))
        .join('\n');
      result.seqScans.push(...[...ran.matchAll(SEQ_SCAN)].map((m) => m[1]));
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }
  return result;
}

/**
 * The baselines of the counts taken at load, counted from the listings: first as for a version counted
 * before the per-specialty counts existed (breadth of the specialty over every plan of the largest issuer,
 * and the state ranking of the specialty), then as for a version loaded without any counts (breadth totals
 * and the ranking of every plan). The counts are then taken again, timed statement by statement: what
 * they add to a load.
 */
async function explainWithoutSetCounts(
  db: DataSource,
  input: { issuerPlans: string[]; state: string; specialty: string; year?: number },
  breadth: NetworkBreadthService,
  sizeBySpecialty: () => Promise<BuiltQuery[]>,
): Promise<Explained[]> {
  const { issuerPlans, state, specialty, year } = input;
  const versions: number[] = (await db.query(`SELECT DISTINCT version_id FROM network_set_count`)).map((r: { version_id: string }) => Number(r.version_id));
  const research: ExplainMode = { kind: 'search', settings: RESEARCH_QUERY };
  try {
    await db.query(`DELETE FROM network_set_specialty_count`);
    await db.query(`UPDATE network_set_shared_npi SET specialties = NULL`);
    await db.query(`UPDATE network_set_count SET by_specialty = false`);
    const withoutSpecialtyCounts = [
      await explain(
        db,
        `network breadth: ${specialty} in all ${issuerPlans.length} plans of the largest issuer, from the listings (no specialty counts)`,
        [await breadth.networkBreadthQuery({ planIds: issuerPlans, specialty })],
        research,
      ),
      await explain(
        db,
        `rank ${state} plans by in-network ${specialty}, from the listings (no specialty counts)`,
        [breadth.rankPlansQuery({ state, specialty, year, order: SortDirection.ASC, limit: 20 })],
        research,
      ),
      await explain(
        db,
        `network breadth: all ${issuerPlans.length} plans of the largest issuer by specialty, from the listings (no specialty counts)`,
        [await breadth.networkBreadthQuery({ planIds: issuerPlans, groupBy: BreadthGroupBy.SPECIALTY })],
        research,
      ),
      await explain(db, `network size by specialty: the largest issuer's first network, from the listings (no specialty counts)`, await sizeBySpecialty(), {
        kind: 'lookup',
      }),
    ];
    await db.query(`DELETE FROM network_set_shared_npi`);
    await db.query(`DELETE FROM network_set_count`);
    return [
      ...withoutSpecialtyCounts,
      await explain(
        db,
        `network breadth: all ${issuerPlans.length} plans of the largest issuer, from the listings (no set counts)`,
        [await breadth.networkBreadthQuery({ planIds: issuerPlans })],
        research,
      ),
      await explain(
        db,
        `rank every ${state} plan by in-network providers, from the listings (no set counts)`,
        [breadth.rankPlansQuery({ state, order: SortDirection.ASC, limit: null })],
        research,
      ),
    ];
  } finally {
    await db.query(`DELETE FROM network_set_specialty_count`);
    await db.query(`DELETE FROM network_set_shared_npi`);
    await db.query(`DELETE FROM network_set_count`);
    const { pool } = new Database(db).primaryPool();
    for (const version of versions) {
      const statements: string[] = [];
      const started = process.hrtime.bigint();
      await countNetworkSets(pool, version, (table, took) => statements.push(`${table} ${took.toFixed(2)} s`));
      console.log(`counting the network sets of version ${version} (as a load does): ${seconds(started).toFixed(2)} s (${statements.join(', ')})`);
    }
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let database: DatabaseHandle | null = null;
  let dataDir: string | null = null;
  if (options.pgDir) {
    database = await startEmbeddedPostgres({ dataDir: options.pgDir, persistent: true, durable: false });
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'explain-pg-'));
    database = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), persistent: false, durable: false });
  }
  const db = new DataSource(buildDataSourceOptions({ url: database.url, poolSize: 4 }));
  let app: INestApplication | null = null;
  try {
    await runMigrations(database.url);
    await db.initialize();
    await seed(db, options);
    let started = process.hrtime.bigint();
    await db.query('ANALYZE');
    console.log(`ANALYZE: ${seconds(started).toFixed(1)} s`);
    const sizes = await db.query(
      `SELECT relname AS table, reltuples::bigint AS rows, pg_size_pretty(pg_total_relation_size(oid)) AS size
         FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
      [[...WATCHED_TABLES, 'drug', 'plan']],
    );
    console.table(sizes);

    const input = await sampleInputs(db);
    console.log('inputs:', JSON.stringify({ ...input, drugs: input.drugs.slice(0, 3) }));
    const planIds = input.plans.map((p) => p.plan_id);
    const rxcuis = input.drugs.map((d) => d.rxnorm_id);

    // The services as the API wires them (a Nest application, not listening): their SQL is what gets explained.
    app = await createApp({ dbPoolSize: 4 }, database.url, { logger: false });
    const recorded: BuiltQuery[] = [];
    recordStatements(app.get(DataSource), recorded);
    const network = app.get(NetworkService);
    const drugCoverage = app.get(DrugCoverageService);
    // A running API knows the published versions (PublishedVersions); a fresh one runs its first lookup twice.
    await network.checkNetwork(input.npis.slice(0, 1), planIds.slice(0, 1), input.year);
    const recordedBy = async (work: () => Promise<unknown>): Promise<BuiltQuery[]> => {
      recorded.length = 0;
      started = process.hrtime.bigint();
      await work();
      console.log(`(service call, cold: ${(seconds(started) * 1000).toFixed(1)} ms)`);
      return [...recorded];
    };
    const search = (filter: Parameters<typeof buildProviderSearchQuery>[0], order?: ProviderSearchOrder) => {
      const built = buildProviderSearchQuery(filter, order, 21, null);
      return { queries: [built], settings: { wordSimilarityThreshold: built.wordSimilarityThreshold } };
    };
    const breadth = app.get(NetworkBreadthService);
    const networks = app.get(NetworksService);
    const [largestNetwork] = (await networks.networksOfPlans([input.issuerPlans[0]])).get(input.issuerPlans[0]) ?? [];
    const sizeBySpecialty = () => recordedBy(() => networks.size(largestNetwork, BreadthGroupBy.SPECIALTY));
    const stats = app.get(FormularyStatsService);
    const drugSearch = buildDrugSearchQuery(input.drugs[0].drug_name.slice(0, 5), 21, null);
    const fuzzyDrug = input.drugs[1].drug_name.split(' ')[0];
    const drugTypo = buildDrugSearchQuery(`${fuzzyDrug.slice(0, -2)}${fuzzyDrug.slice(-1)}`, 21, null);

    const hotQueries: Array<[string, () => Promise<{ queries: BuiltQuery[]; settings: SearchOptions; lookup?: boolean }>]> = [
      [
        'network check: 10 NPIs × 5 plans (NetworkService.checkNetwork)',
        async () => ({ queries: await recordedBy(() => network.checkNetwork(input.npis, planIds, input.year)), settings: {}, lookup: true }),
      ],
      [
        'drug check: 10 RXCUIs × 5 plans (DrugCoverageService.checkDrugs)',
        async () => ({ queries: await recordedBy(() => drugCoverage.checkDrugs(rxcuis, planIds, input.year)), settings: {}, lookup: true }),
      ],
      [`name search, typo "${input.typo}" for "${input.name}"`, async () => search({ name: input.typo })],
      [`name search in one plan's network`, async () => search({ name: input.typo, planId: planIds[0] })],
      [`radius search: 10 miles around ${input.zip}, nearest first`, async () => search({ zip: input.zip, radiusMiles: 10 })],
      [
        `radius search: ${input.specialty} within 25 miles of ${input.zip}`,
        async () => search({ zip: input.zip, radiusMiles: 25, specialty: input.specialty }),
      ],
      [`plan filter: ${planIds[0]}'s network by name`, async () => search({ planId: planIds[0] }, ProviderSearchOrder.NAME)],
      [
        `plan filter: ${input.specialty} in ${planIds[0]}, 25 miles of ${input.zip}`,
        async () => search({ planId: planIds[0], specialty: input.specialty, zip: input.zip, radiusMiles: 25 }),
      ],
      [`specialty search: every ${input.specialty} by name`, async () => search({ specialty: input.specialty }, ProviderSearchOrder.NAME)],
      [
        `drug autocomplete "${input.drugs[0].drug_name.slice(0, 5)}"`,
        async () => ({ queries: [drugSearch], settings: { wordSimilarityThreshold: drugSearch.wordSimilarityThreshold } }),
      ],
      [
        `drug autocomplete with a typo "${fuzzyDrug.slice(0, -2)}${fuzzyDrug.slice(-1)}"`,
        async () => ({ queries: [drugTypo], settings: { wordSimilarityThreshold: drugTypo.wordSimilarityThreshold } }),
      ],
      [
        `plansCovering ${rxcuis[0]} in ${input.state}`,
        async () => ({ queries: [buildPlansCoveringQuery(rxcuis[0], input.state, input.year ?? null, 21, null)], settings: {} }),
      ],
      [
        `network breadth: 5 plans by ZIP3`,
        async () => ({ queries: [await breadth.networkBreadthQuery({ planIds, groupBy: BreadthGroupBy.ZIP3 })], settings: RESEARCH_QUERY }),
      ],
      [
        `network breadth: 5 plans by county`,
        async () => ({ queries: [await breadth.networkBreadthQuery({ planIds, groupBy: BreadthGroupBy.COUNTY })], settings: RESEARCH_QUERY }),
      ],
      [
        `network breadth: all ${input.issuerPlans.length} plans of the largest issuer`,
        async () => ({ queries: [await breadth.networkBreadthQuery({ planIds: input.issuerPlans })], settings: RESEARCH_QUERY }),
      ],
      [
        `network breadth: ${input.specialty} in all ${input.issuerPlans.length} plans of the largest issuer`,
        async () => ({
          queries: [await breadth.networkBreadthQuery({ planIds: input.issuerPlans, specialty: input.specialty })],
          settings: RESEARCH_QUERY,
        }),
      ],
      [
        `network breadth: all ${input.issuerPlans.length} plans of the largest issuer by specialty`,
        async () => ({
          queries: [await breadth.networkBreadthQuery({ planIds: input.issuerPlans, groupBy: BreadthGroupBy.SPECIALTY })],
          settings: RESEARCH_QUERY,
        }),
      ],
      [
        `network size by specialty: the largest issuer's first network (NetworksService.size)`,
        async () => ({ queries: await sizeBySpecialty(), settings: {}, lookup: true }),
      ],
      [
        `rank every ${input.state} plan by in-network providers`,
        async () => ({
          queries: [breadth.rankPlansQuery({ state: input.state, order: SortDirection.ASC, limit: null })],
          settings: RESEARCH_QUERY,
        }),
      ],
      [
        `rank ${input.state} plans by in-network ${input.specialty}`,
        async () => ({
          queries: [breadth.rankPlansQuery({ state: input.state, specialty: input.specialty, year: input.year, order: SortDirection.ASC, limit: 20 })],
          settings: RESEARCH_QUERY,
        }),
      ],
      [`drugCoverageStats ${rxcuis[0]}`, async () => ({ queries: [stats.drugCoverageStatsQuery(rxcuis[0])], settings: RESEARCH_QUERY })],
      [
        `compareFormularies ${planIds[0]} vs ${planIds[1]}`,
        async () => ({ queries: [await stats.formularyDifferencesQuery(planIds[0], planIds[1], 21, null)], settings: RESEARCH_QUERY }),
      ],
      [`priorAuthorizationRates ${input.state}`, async () => ({ queries: [stats.priorAuthorizationRatesQuery(input.state)], settings: RESEARCH_QUERY })],
    ];

    const results: Explained[] = [];
    for (const [name, build] of hotQueries) {
      const { queries, settings, lookup } = await build();
      results.push(await explain(db, name, queries, lookup ? { kind: 'lookup' } : { kind: 'search', settings }));
    }
    results.push(...(await explainWithoutSetCounts(db, input, breadth, sizeBySpecialty)));

    console.log('\n=== summary (EXPLAIN ANALYZE, warm cache; times summed over the statements of each query)');
    console.table(
      results.map((r) => ({
        query: r.name.length > 110 ? `${r.name.slice(0, 107)}…` : r.name,
        statements: r.statements,
        'planning ms': r.planningMs.toFixed(2),
        'execution ms': r.executionMs.toFixed(2),
        'seq scans of big tables': r.seqScans.length ? [...new Set(r.seqScans)].join(', ') : '-',
      })),
    );
    const flagged = results.filter((r) => r.seqScans.length);
    if (flagged.length) {
      // Research aggregates that read most of a table are expected here; a shopper query is not.
      console.log(`\nFLAGGED: Seq Scan on ${WATCHED_TABLES.join('/')} in: ${flagged.map((r) => r.name).join('; ')}`);
    } else {
      console.log(`\nno Seq Scan on ${WATCHED_TABLES.join(', ')}`);
    }
  } finally {
    if (app) await app.close();
    if (db.isInitialized) await db.destroy();
    await database.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
