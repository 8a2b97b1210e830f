import { zipcodes } from '../../src/common/zipcodes';
import { individualNpi, organizationNpi } from '../../seeds/lib/npi';
import { mulberry32 } from '../../seeds/lib/prng';
import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PlanCatalog } from '../../src/ingest/validate/qhp-records';
import { DrugRegistry, validateDrug, validatePlan, validateProvider } from '../../src/ingest/validate/qhp-validator';
import { RowRenderer, RowSink } from '../../src/ingest/render/table-rows';
import { DRUG_TABLES, PLAN_TABLES, PROVIDER_TABLES } from '../../src/qhp/version-tables';
import { IssueSink, JsonRecordLocation, ReportCollector } from '../../src/ingest/validate/validation-report';
import { ZipGeocoder } from '../../src/ingest/validate/zip-geocoder';

/**
 * Deterministic QHP files for the ingest benchmark, plus the same rows pre-rendered as COPY text
 * (through the importer's own validator and renderer) for the raw-COPY baseline.
 */

export interface BenchDataOptions {
  dir: string;
  issuerId: string;
  providers: number;
  plans: number;
  /**
   * 0 (sparse, the default): each provider lists 3 plans. N > 0 (dense, as carriers publish): the plans
   * are sold on N networks (plan i on network i mod N); each provider joins each network with
   * probability 0.4 (at least one) and lists every plan of each network it joins.
   */
  networks?: number;
  drugs: number;
  /** Indent JSON like the CMS examples (2 spaces); default is one record per line. */
  pretty: boolean;
  /** version_id written into the baseline COPY files. */
  baselineVersionId: number;
}

export interface BenchData {
  indexPath: string;
  /** COPY text file per table, in load order. */
  baselineFiles: Array<{ table: string; columns: readonly string[]; path: string }>;
  jsonBytes: number;
  rows: Record<string, number>;
}

const FIRST_NAMES = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'Maria', 'Wei', 'Aisha', 'Carlos'];
const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Nguyen',
  "O'Brien",
  'Kim',
  'Patel',
];
const SPECIALTIES = ['Family Medicine', 'Internal Medicine', 'Pediatrics', 'Cardiology', 'Dermatology', 'Oncology', 'Ophthalmology', 'Psychiatry'];
const STREETS = ['Main St', 'High St', 'Broad St', 'Oak Ave', 'Maple Dr', 'Park Ave', 'Lake Rd'];
/**
 * Every Ohio ZIP code of the zipcodes table (~1,450), so addresses are geocoded by real lookups and
 * spread like a state-wide directory's (a handful of points would distort the GiST index cost).
 */
function ohioPlaces(): Array<readonly [string, string]> {
  return zipcodes()
    .lookupByState('OH')
    .map((place) => [place.city, place.zip] as const);
}
const DRUG_TIERS = ['GENERIC', 'PREFERRED-BRAND', 'NON-PREFERRED-BRAND', 'SPECIALTY'];

/** Buffers text and writes it in large pieces, honouring the file stream's backpressure. */
class BufferedFile implements RowSink {
  private pending = '';
  bytes = 0;
  rows = 0;
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  write(text: string): void {
    this.pending += text;
  }

  writeRow(line: string): void {
    this.rows++;
    this.write(line);
  }

  async flushIfLarge(): Promise<void> {
    if (this.pending.length < 1 << 20) return;
    const chunk = this.pending;
    this.pending = '';
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    this.bytes += Buffer.byteLength(this.pending);
    this.stream.end(this.pending);
    this.pending = '';
    await once(this.stream, 'finish');
  }
}

function planId(issuerId: string, index: number): string {
  return `${issuerId}OH${String(10_000_000 + index).slice(1)}`;
}

function makePlans(options: BenchDataOptions): object[] {
  const metals = ['Bronze', 'Silver', 'Gold', 'Platinum'];
  return Array.from({ length: options.plans }, (_, i) => ({
    plan_id_type: 'HIOS-PLAN-ID',
    plan_id: planId(options.issuerId, i + 1),
    marketing_name: `Bench ${metals[i % metals.length]} Plan ${i + 1}`,
    summary_url: `https://example.com/plans/${i + 1}`,
    plan_contact: 'plans@example.com',
    years: [2025, 2026],
    network: [{ network_tier: 'PREFERRED' }, { network_tier: 'NON-PREFERRED' }],
    formulary: DRUG_TIERS.map((tier, t) => ({
      drug_tier: tier,
      mail_order: true,
      cost_sharing: [
        { pharmacy_type: '1-MONTH-IN-RETAIL', copay_amount: 10 * (t + 1), copay_opt: 'AFTER-DEDUCTIBLE', coinsurance_rate: 0, coinsurance_opt: null },
        {
          pharmacy_type: '3-MONTH-IN-MAIL',
          copay_amount: 25 * (t + 1),
          copay_opt: 'AFTER-DEDUCTIBLE',
          coinsurance_rate: 0.1,
          coinsurance_opt: 'BEFORE-DEDUCTIBLE',
        },
      ],
    })),
    last_updated_on: '2025-01-15',
  }));
}

function sparsePlans(next: () => number, options: BenchDataOptions): object[] {
  const first = Math.floor(next() * options.plans);
  return [0, 1, 2].map((k) => ({
    plan_id_type: 'HIOS-PLAN-ID',
    plan_id: planId(options.issuerId, ((first + k * 7) % options.plans) + 1),
    network_tier: next() < 0.8 ? 'PREFERRED' : 'NON-PREFERRED',
    years: [2025, 2026],
  }));
}

/** Every plan of each network the provider joins (see BenchDataOptions.networks), in plan order. */
function densePlans(i: number, next: () => number, options: BenchDataOptions): object[] {
  const networks = options.networks!;
  const joined = Array.from({ length: networks }, () => next() < 0.4);
  if (!joined.includes(true)) joined[i % networks] = true;
  const plans: object[] = [];
  for (let p = 0; p < options.plans; p++) {
    if (joined[p % networks])
      plans.push({ plan_id_type: 'HIOS-PLAN-ID', plan_id: planId(options.issuerId, p + 1), network_tier: 'PREFERRED', years: [2025, 2026] });
  }
  return plans;
}

function makeProvider(i: number, next: () => number, options: BenchDataOptions, places: ReadonlyArray<readonly [string, string]>): object {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const addressCount = next() < 0.5 ? 1 : 2;
  const addresses = Array.from({ length: addressCount }, () => {
    const [city, zip] = pick(places);
    return {
      address: `${1 + Math.floor(next() * 9000)} ${pick(STREETS)}`,
      city,
      state: 'OH',
      zip,
      phone: `614555${String(Math.floor(next() * 10000)).padStart(4, '0')}`,
    };
  });
  const plans = options.networks ? densePlans(i, next, options) : sparsePlans(next, options);
  // NPIs in no particular order, as in carriers' files (in file order, provider_npi_idx's sort found them presorted).
  const npi = i % 10 === 9 ? organizationNpi(i) : individualNpi(i);
  const common = { npi, addresses, plans, last_updated_on: '2025-01-01' };
  if (i % 10 === 9) return { ...common, type: 'FACILITY', facility_name: `${pick(places)[0]} Medical Center ${i}`, facility_type: ['Hospital'] };
  return {
    ...common,
    type: 'INDIVIDUAL',
    name: { first: pick(FIRST_NAMES), ...(next() < 0.3 ? { middle: 'A' } : {}), last: pick(LAST_NAMES) },
    specialty: [pick(SPECIALTIES)],
    accepting: next() < 0.7 ? 'accepting' : 'not accepting',
    gender: next() < 0.5 ? 'Female' : 'Male',
    languages: ['English'],
  };
}

function makeDrug(i: number, options: BenchDataOptions): object {
  return {
    rxnorm_id: String(100000 + i),
    drug_name: `Benchdrug ${i} 10 MG Oral Tablet`,
    plans: Array.from({ length: options.plans }, (_, p) => ({
      plan_id_type: 'HIOS-PLAN-ID',
      plan_id: planId(options.issuerId, p + 1),
      drug_tier: DRUG_TIERS[(i + p) % DRUG_TIERS.length],
      prior_authorization: i % 13 === 0,
      step_therapy: false,
      quantity_limit: i % 7 === 0,
      years: [2025, 2026],
    })),
  };
}

/** Streams `count` records as a JSON array, and each validated record's rows into the baseline files. */
async function writeArray(
  path: string,
  count: number,
  options: BenchDataOptions,
  make: (i: number) => object,
  render: (record: object, i: number) => void,
  baseline: BufferedFile[],
): Promise<number> {
  const out = new BufferedFile(path);
  out.write('[\n');
  for (let i = 0; i < count; i++) {
    const record = make(i);
    out.write((i ? ',\n' : '') + (options.pretty ? JSON.stringify(record, null, 2) : JSON.stringify(record)));
    render(record, i);
    if (i % 2000 === 0) {
      await out.flushIfLarge();
      for (const file of baseline) await file.flushIfLarge();
    }
  }
  out.write('\n]\n');
  await out.close();
  return out.bytes;
}

export async function writeBenchData(options: BenchDataOptions): Promise<BenchData> {
  const next = mulberry32(20250101);
  const renderer = new RowRenderer(options.baselineVersionId);
  const report = new ReportCollector();
  const catalog = new PlanCatalog();
  const issues = new IssueSink('bench', report);
  const tables = [...PLAN_TABLES, ...PROVIDER_TABLES, ...DRUG_TABLES];
  const files = new Map(tables.map((t) => [t.table, new BufferedFile(join(options.dir, `${t.table}.copy`))]));
  const sink = (table: string): BufferedFile => files.get(table)!;

  const plans = makePlans(options);
  await writeFile(join(options.dir, 'plans.json'), JSON.stringify(plans, null, 2));
  plans.forEach((raw, i) => {
    const plan = validatePlan(raw, new JsonRecordLocation(i), { issues, issuerId: options.issuerId, catalog });
    if (!plan) throw new Error(`the generator produced an invalid plan: ${JSON.stringify(report.toReport().samples)}`);
    catalog.add(plan);
    renderer.writePlan({ ...plan, sourceFile: 'plans.json' }, sink('plan'), sink('plan_drug_tier'), sink('tier_cost_sharing'));
  });

  const places = ohioPlaces();
  const providerCtx = { issues, issuerId: options.issuerId, catalog, geocoder: new ZipGeocoder() };
  const providerFiles = PROVIDER_TABLES.map((t) => sink(t.table));
  const providersBytes = await writeArray(
    join(options.dir, 'providers.json'),
    options.providers,
    options,
    (i) => makeProvider(i, next, options, places),
    (raw, i) => {
      const provider = validateProvider(raw, new JsonRecordLocation(i), providerCtx);
      if (provider)
        renderer.writeProvider(i, provider, 'providers.json', sink('provider'), sink('provider_address'), sink('listing_network_set'), sink('network_set'));
    },
    providerFiles,
  );

  const drugCtx = { issues, issuerId: options.issuerId, catalog, drugs: new DrugRegistry(catalog.size) };
  const drugsBytes = await writeArray(
    join(options.dir, 'drugs.json'),
    options.drugs,
    options,
    (i) => makeDrug(i, options),
    (raw, i) => {
      const drug = validateDrug(raw, new JsonRecordLocation(i), drugCtx);
      if (drug) renderer.writeDrug(drug, 'drugs.json', i, sink('drug'), sink('formulary_entry'));
    },
    DRUG_TABLES.map((t) => sink(t.table)),
  );

  const rejected = report.toReport().rejectedByReason;
  if (Object.keys(rejected).length) throw new Error(`the generator produced invalid records: ${JSON.stringify(rejected)}`);
  for (const file of files.values()) await file.close();

  const indexPath = join(options.dir, 'cms-data-index.json');
  await writeFile(indexPath, JSON.stringify({ plan_urls: ['plans.json'], provider_urls: ['providers.json'], formulary_urls: ['drugs.json'] }, null, 2));
  return {
    indexPath,
    baselineFiles: tables.map((t) => ({ table: t.table, columns: t.columns, path: sink(t.table).path })),
    jsonBytes: providersBytes + drugsBytes,
    rows: Object.fromEntries(tables.map((t) => [t.table, sink(t.table).rows])),
  };
}
