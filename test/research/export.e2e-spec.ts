import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, PLAN } from '../search/search-fixtures';

/** Reads a response body as text whatever its content type (supertest only buffers known types). */
function asText(res: any, callback: (error: Error | null, body: string) => void) {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => callback(null, body));
}

/** CSV lines (the fixtures hold no quoted line breaks). */
const lines = (body: string) => body.trimEnd().split('\n');

describe('bulk export over REST (streamed with COPY)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadSearchFixtures(t.db);
  });
  afterAll(() => t.close());

  const get = (path: string) => t.http().get(path).buffer(true).parse(asText);

  it('network.csv: one row per in-network listing and address, with a header row', async () => {
    const res = await get(`/export/plans/${PLAN.silver}/network.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${PLAN.silver}-network.csv"`);
    const [header, ...rows] = lines(res.body);
    expect(header).toBe(
      'npi,type,name,prefix,first_name,middle_name,last_name,suffix,facility_name,specialties,facility_types,accepting,gender,languages,' +
        'network_tiers,years,address,address_2,city,state,zip,phone,latitude,longitude,last_updated_on,version_id,record_no',
    );
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count
         FROM (SELECT DISTINCT m.version_id, m.record_no FROM network_membership m
                 JOIN issuer i ON i.current_version_id = m.version_id WHERE m.plan_id = $1) l
         JOIN provider_address a ON a.version_id = l.version_id AND a.record_no = l.record_no`,
      [PLAN.silver],
    );
    expect(rows).toHaveLength(count);
    expect(rows).toHaveLength(10); // 9 listings, Emily Chen at two addresses
    expect(rows[0]).toMatch(
      /^1666600014,INDIVIDUAL,John Smith,,John,,Smith,,,Family Medicine,,accepting,Male,English; Spanish,PREFERRED,2031,1 Court St,,Athens,OH,45701,/,
    );
  });

  it("network.json: the plan's providers in the QHP providers.json shape, listing only this plan", async () => {
    const res = await get(`/export/plans/${PLAN.gold}/network.json`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${PLAN.gold}-network.json"`);
    const providers = JSON.parse(res.body);
    expect(providers.map((p: any) => p.npi)).toEqual(['1666600014', '1666700012', '1666700038', '1666700046', '1666700053']);
    expect(providers[0]).toEqual({
      npi: '1666600014',
      type: 'INDIVIDUAL',
      name: { first: 'John', last: 'Smith' },
      addresses: [{ address: '1 Court St', city: 'Athens', state: 'OH', zip: '45701', phone: '7405551000' }],
      specialty: ['Family Medicine'],
      accepting: 'accepting',
      plans: [{ plan_id_type: 'HIOS-PLAN-ID', plan_id: PLAN.gold, network_tier: 'PREFERRED', years: [2031] }],
      last_updated_on: '2030-11-01',
    });
    // Paul Green is also in Narrow Silver; the export lists only the exported plan.
    expect(providers[2].plans.map((p: any) => p.plan_id)).toEqual([PLAN.gold]);
    expect(providers[3]).toMatchObject({ type: 'FACILITY', facility_name: 'St. Mary Hospital', facility_type: ['General Acute Care Hospital'] });
  });

  it('formulary.csv and formulary.json: one row / object per covered drug', async () => {
    const csv = await get(`/export/plans/${PLAN.bronze}/formulary.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${PLAN.bronze}-formulary.csv"`);
    const [header, ...rows] = lines(csv.body);
    expect(header).toBe(
      'rxnorm_id,drug_name,drug_tier,prior_authorization,step_therapy,quantity_limit,years,retail_30_day_copay_amount,' +
        'retail_30_day_copay_opt,retail_30_day_coinsurance_rate,retail_30_day_coinsurance_opt',
    );
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM formulary_entry f JOIN issuer i ON i.current_version_id = f.version_id WHERE f.plan_id = $1`,
      [PLAN.bronze],
    );
    expect(rows).toHaveLength(count);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toBe('96600001,zentorvastatin 20 MG Oral Tablet,GENERIC,false,false,false,2031,25.00,AFTER-DEDUCTIBLE,0.0000,');

    const json = await get(`/export/plans/${PLAN.bronze}/formulary.json`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const drugs = JSON.parse(json.body);
    expect(drugs).toHaveLength(6);
    expect(drugs[2]).toEqual({
      rxnorm_id: '96600004',
      drug_name: 'varnixaban 5 MG Oral Tablet [Varniquis]',
      plans: [
        {
          plan_id_type: 'HIOS-PLAN-ID',
          plan_id: PLAN.bronze,
          drug_tier: 'PREFERRED-BRAND',
          prior_authorization: true,
          step_therapy: false,
          quantity_limit: false,
          years: [2031],
        },
      ],
    });
  });

  it('answers 404 JSON for a plan no issuer published, 400 for a malformed id', async () => {
    const missing = await t.http().get(`/export/plans/${PLAN.unloaded}/network.csv`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    expect(missing.body.message).toBe(`Plan ${PLAN.unloaded} is not loaded: no issuer has published it`);
    const malformed = await t.http().get('/export/plans/not-a-plan/formulary.json');
    expect(malformed.status).toBe(400);
  });

  it('exports a research query as CSV, the same numbers as the GraphQL query', async () => {
    const res = await get(`/export/research/network-breadth.csv?state=OH&year=2031&specialty=Psychiatry`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="network-breadth.csv"');
    const [header, ...rows] = lines(res.body);
    expect(header).toBe('plan_id,marketing_name,issuer_id,plan_state,network_reported,group_by,group_key,group_name,providers,hospitals');
    expect(rows).toEqual([
      `${PLAN.silver},Search Test Silver,66666,OH,true,,,,3,1`,
      `${PLAN.bronze},Search Test Bronze,66666,OH,true,,,,2,1`,
      `${PLAN.gold},Research Test Gold,66667,OH,true,,,,2,1`,
      `${PLAN.narrow},Research Test Narrow Silver,66667,OH,true,,,,1,0`,
    ]);
    const byCounty = await get(`/export/research/network-breadth.csv?planIds=${PLAN.silver}&groupBy=COUNTY`);
    expect(lines(byCounty.body).slice(1, 3)).toEqual([
      `${PLAN.silver},Search Test Silver,66666,OH,true,COUNTY,,,9,1`,
      `${PLAN.silver},Search Test Silver,66666,OH,true,COUNTY,39009,"Athens, OH",6,1`,
    ]);

    const ranking = await get(`/export/research/plan-breadth-ranking.csv?state=OH&specialty=psychiatry&year=2031`);
    expect(lines(ranking.body)).toEqual([
      'rank,plan_id,marketing_name,issuer_id,providers',
      `1,${PLAN.narrow},Research Test Narrow Silver,66667,1`,
      `2,${PLAN.bronze},Search Test Bronze,66666,2`,
      `2,${PLAN.gold},Research Test Gold,66667,2`,
      `4,${PLAN.silver},Search Test Silver,66666,3`,
    ]);

    const changes = await get(`/export/research/network-changes.csv?planId=${PLAN.gold}`);
    expect(lines(changes.body)).toEqual([
      'npi,change,network_tiers,display_name',
      '1666700020,DROPPED,PREFERRED,Mark Davis',
      '1666700053,ADDED,PREFERRED,Nina Patel',
    ]);
  });

  it('rejects unknown reports and bad parameters with a clear message', async () => {
    const unknown = await t.http().get('/export/research/everything.csv');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/reports: network-breadth, plan-breadth-ranking/);

    const bad = await t.http().get('/export/research/plan-breadth-ranking.csv?state=Ohio&specialy=x');
    expect(bad.status).toBe(400);
    // The unknown parameter is named with the ones the report takes, beside the problems of the known ones.
    expect(bad.body.message).toEqual([
      'Unknown parameter specialy: plan-breadth-ranking.csv takes only order, specialty, state, year (GET /export lists every export with its parameters)',
      'state: state "Ohio" must be a 2-letter code such as OH',
    ]);
    // Paging arguments of the GraphQL field are not export parameters: an export has every row.
    const paged = await t.http().get(`/export/research/formulary-comparison.csv?planA=${PLAN.silver}&planB=${PLAN.bronze}&first=5`);
    expect(paged.status).toBe(400);
    expect(paged.body.message).toEqual([
      'Unknown parameter first: formulary-comparison.csv takes only planA, planB (GET /export lists every export with its parameters)',
    ]);
    const planExport = await t.http().get(`/export/plans/${PLAN.gold}/network.csv?year=2031&format=x`);
    expect(planExport.status).toBe(400);
    expect(planExport.body.message).toBe(
      'Unknown parameters year, format: network.csv takes no query parameters (GET /export lists every export with its parameters)',
    );

    const tooMany = await t.http().get('/export/research/network-breadth.csv?state=OH&year=2032');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/more than 50 published plans/);
  });

  /** Parameters for every export in the index, over the search fixtures. */
  const SAMPLE_URLS: Record<string, string> = {
    'network.csv': `/export/plans/${PLAN.silver}/network.csv`,
    'network.json': `/export/plans/${PLAN.silver}/network.json`,
    'formulary.csv': `/export/plans/${PLAN.bronze}/formulary.csv`,
    'formulary.json': `/export/plans/${PLAN.bronze}/formulary.json`,
    'network-breadth.csv': '/export/research/network-breadth.csv?state=OH&year=2031&groupBy=SPECIALTY',
    'plan-breadth-ranking.csv': '/export/research/plan-breadth-ranking.csv?state=OH',
    'drug-coverage-stats.csv': '/export/research/drug-coverage-stats.csv?rxnormId=96600001',
    'formulary-comparison.csv': `/export/research/formulary-comparison.csv?planA=${PLAN.silver}&planB=${PLAN.bronze}`,
    'prior-authorization-rates.csv': '/export/research/prior-authorization-rates.csv?state=OH',
    'network-changes.csv': `/export/research/network-changes.csv?planId=${PLAN.gold}`,
    'formulary-changes.csv': `/export/research/formulary-changes.csv?planId=${PLAN.gold}`,
  };

  it('GET /export lists every export with its URL, format and parameters (as the GraphQL arguments say)', async () => {
    const res = await t.http().get('/export');
    expect(res.status).toBe(200);
    const names = res.body.exports.map((e: any) => e.name);
    expect(names.sort()).toEqual(Object.keys(SAMPLE_URLS).sort());
    const byName = Object.fromEntries(res.body.exports.map((e: any) => [e.name, e]));
    expect(byName['network.csv']).toEqual({
      name: 'network.csv',
      path: '/export/plans/{planId}/network.csv',
      format: 'csv',
      description: expect.stringMatching(/in-network provider listing/),
      parameters: [{ name: 'planId', in: 'path', required: true, type: 'String', description: expect.stringMatching(/HIOS plan id/) }],
    });
    const ranking = byName['plan-breadth-ranking.csv'];
    expect(ranking).toMatchObject({ path: '/export/research/plan-breadth-ranking.csv', format: 'csv', graphqlField: 'rankPlansByBreadth' });
    expect(ranking.parameters.map((p: any) => [p.name, p.required, p.type])).toEqual([
      ['order', false, 'SortDirection'],
      ['specialty', false, 'String'],
      ['state', true, 'String!'],
      ['year', false, 'Int'],
    ]);
    expect(ranking.parameters[0].values).toEqual(['ASC', 'DESC']);
    for (const entry of res.body.exports) {
      expect(entry.description).not.toBe('');
      for (const parameter of entry.parameters) expect(parameter.description).not.toBe('');
    }
  });

  it('writes every CSV the same way: true/false, lists joined by "; ", nothing for an empty value', async () => {
    const index = await t.http().get('/export');
    const csvExports = index.body.exports.filter((e: any) => e.format === 'csv');
    expect(csvExports).toHaveLength(9);
    for (const entry of csvExports) {
      const res = await get(SAMPLE_URLS[entry.name]);
      expect([entry.name, res.status]).toEqual([entry.name, 200]);
      const rows = lines(res.body).slice(1);
      expect([entry.name, rows.length > 0]).toEqual([entry.name, true]);
      // The fixtures hold no quoted commas in these exports' cells except display names, which are never flagged.
      const cells = rows.flatMap((row) => row.split(','));
      const offending = cells.filter((cell) => ['t', 'f', '""', 'null', 'NULL', '{}', '[]'].includes(cell) || /^"?\{.*\}"?$/.test(cell));
      expect([entry.name, offending]).toEqual([entry.name, []]);
    }
    // Lists: PostgreSQL arrays and aggregated lists alike.
    const network = await get(SAMPLE_URLS['network.csv']);
    expect(network.body).toContain('English; Spanish');
    const changes = await get(SAMPLE_URLS['formulary-changes.csv']);
    expect(lines(changes.body)[0]).toMatch(/^rxnorm_id,drug_name,added,removed,tier_changed/);
    expect(changes.body).toMatch(/,(true|false),/);
  });
});
