import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrugReferenceService } from '../../src/pricing/drug-reference.service';
import { ReferenceCsvError } from '../../src/pricing/reference-csv';
import { Database } from '../../src/database/database';
import { loadDrugPrices } from '../../src/pricing/reference-data.loader';
import { AnswerFastPath } from '../../src/graphql/answer-fast-path';
import { startTestApp, TestApp } from '../helpers/test-app';
import { loadTrustFixtures, PLAN, RXCUI } from './trust-fixtures';

const ESTIMATE = `estimate { pharmacyType monthlyLow monthlyHigh assumptions priceUsed priceSource priceAsOf }`;
const NO_DEDUCTIBLE = 'the deductible does not apply: this cost sharing starts with the first fill';
const AFTER_DEDUCTIBLE = 'after the deductible is met; before it, you may pay up to the full price';
const NO_PRICE = { priceUsed: null, priceSource: null, priceAsOf: null };
const TEST_PRICE = (price: number) => ({ priceUsed: price, priceSource: 'Trust test prices', priceAsOf: '2026-01-01' });

describe('generic equivalents and out-of-pocket estimates (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadTrustFixtures(t.db);
  });
  afterAll(() => t.close());

  async function coverage(rxnormIds: string[], planIds: string[], fields: string) {
    const res = await t.gql(
      `query($drugs: [String!]!, $plans: [String!]!) { drugCoverage(rxnormIds: $drugs, planIds: $plans, year: 2026) { rxnormId planId status ${fields} } }`,
      { drugs: rxnormIds, plans: planIds },
    );
    expect(res.errors).toBeUndefined();
    return res.data.drugCoverage as any[];
  }

  describe('genericCovered', () => {
    it('names the covered generic of an uncovered brand, with its tier and cost, in one batch', async () => {
      const reference = t.app.get(DrugReferenceService);
      const findCoveredGenerics = jest.spyOn(reference, 'findCoveredGenerics');
      try {
        const answers = await coverage(
          [RXCUI.lipitor20, RXCUI.crestor20],
          [PLAN.silver, PLAN.gold],
          'genericCovered { rxnormId drugName drugTier costSummary costSharing { pharmacyType copayAmount copayOpt coinsuranceRate } }',
        );
        expect(answers).toEqual([
          {
            rxnormId: RXCUI.lipitor20,
            planId: PLAN.silver,
            status: 'NOT_COVERED',
            genericCovered: {
              rxnormId: RXCUI.atorvastatin20,
              drugName: 'atorvastatin 20 MG Oral Tablet',
              drugTier: 'GENERIC',
              costSummary: '$10 copay before deductible, 30-day retail',
              costSharing: [
                { pharmacyType: '1-MONTH-IN-RETAIL', copayAmount: 10, copayOpt: 'BEFORE-DEDUCTIBLE', coinsuranceRate: 0 },
                { pharmacyType: '3-MONTH-IN-MAIL', copayAmount: 25, copayOpt: 'BEFORE-DEDUCTIBLE', coinsuranceRate: 0 },
              ],
            },
          },
          // Gold covers the brand itself: no generic to point to.
          { rxnormId: RXCUI.lipitor20, planId: PLAN.gold, status: 'COVERED', genericCovered: null },
          // Silver covers neither Crestor nor its generic (rosuvastatin 20 MG).
          { rxnormId: RXCUI.crestor20, planId: PLAN.silver, status: 'NOT_COVERED', genericCovered: null },
          { rxnormId: RXCUI.crestor20, planId: PLAN.gold, status: 'COVERED', genericCovered: null },
        ]);
        // Both uncovered brands were looked up in a single query.
        expect(findCoveredGenerics).toHaveBeenCalledTimes(1);
        expect(findCoveredGenerics.mock.calls[0][0]).toHaveLength(2);
      } finally {
        findCoveredGenerics.mockRestore();
      }
    });

    it('offers no generic when the plan and year are not reported', async () => {
      const answers = await coverage([RXCUI.lipitor20], [PLAN.bronze], 'outcome genericCovered { rxnormId }');
      expect(answers).toEqual([{ rxnormId: RXCUI.lipitor20, planId: PLAN.bronze, status: 'UNKNOWN', outcome: 'NOT_REPORTED', genericCovered: null }]);
    });
  });

  describe('estimate', () => {
    it('gives the exact copay of a copay-only tier without needing a price (a 90-day copay shown per month)', async () => {
      const [answer] = await coverage([RXCUI.atorvastatin20], [PLAN.silver], ESTIMATE);
      expect(answer.estimate).toEqual([
        { pharmacyType: '1-MONTH-IN-RETAIL', monthlyLow: 10, monthlyHigh: 10, assumptions: ['$10.00 copay per 30-day supply', NO_DEDUCTIBLE], ...NO_PRICE },
        {
          pharmacyType: '3-MONTH-IN-MAIL',
          monthlyLow: 8.33,
          monthlyHigh: 8.33,
          assumptions: ['$25.00 copay per 90-day supply, shown as $8.33 a month', NO_DEDUCTIBLE],
          ...NO_PRICE,
        },
      ]);
    });

    it('prices coinsurance from the list price, and gives a range after the deductible', async () => {
      const [answer] = await coverage([RXCUI.eliquis5], [PLAN.silver], ESTIMATE);
      const priced = 'on a $550.00 list price per 30-day supply (Trust test prices, 2026-01-01)';
      expect(answer.estimate).toEqual([
        {
          pharmacyType: '1-MONTH-IN-RETAIL',
          monthlyLow: 137.5,
          monthlyHigh: 137.5,
          assumptions: [`25% coinsurance ${priced}`, NO_DEDUCTIBLE],
          ...TEST_PRICE(550),
        },
        {
          pharmacyType: '1-MONTH-OUT-RETAIL',
          monthlyLow: 275,
          monthlyHigh: 550,
          assumptions: [`50% coinsurance ${priced}`, AFTER_DEDUCTIBLE],
          ...TEST_PRICE(550),
        },
      ]);
    });

    it('gives a copay after the deductible as a range up to the full price', async () => {
      const [answer] = await coverage([RXCUI.lipitor20], [PLAN.gold], ESTIMATE);
      expect(answer.estimate).toEqual([
        {
          pharmacyType: '1-MONTH-IN-RETAIL',
          monthlyLow: 40,
          monthlyHigh: 401.25,
          assumptions: [
            '$40.00 copay per 30-day supply',
            AFTER_DEDUCTIBLE,
            'full price taken as a $401.25 list price per 30-day supply (Trust test prices, 2026-01-01)',
          ],
          ...TEST_PRICE(401.25),
        },
      ]);
    });

    it('says so instead of guessing when a coinsurance tier has no price on file', async () => {
      // The demo price list (seeded by other test files into the shared database) does price Ozempic.
      await t.db.query(`DELETE FROM drug_price WHERE rxnorm_id = $1`, [RXCUI.ozempic]);
      const [answer] = await coverage([RXCUI.ozempic], [PLAN.silver], ESTIMATE);
      expect(answer.estimate).toEqual([
        {
          pharmacyType: '1-MONTH-IN-RETAIL',
          monthlyLow: null,
          monthlyHigh: null,
          assumptions: ['40% coinsurance', 'no price on file for this drug', NO_DEDUCTIBLE],
          ...NO_PRICE,
        },
      ]);
    });

    it('gives $0 for a no-charge tier, and no estimate for a drug that is not covered', async () => {
      const answers = await coverage([RXCUI.metformin500, RXCUI.lipitor20], [PLAN.silver], ESTIMATE);
      expect(answers).toEqual([
        {
          rxnormId: RXCUI.metformin500,
          planId: PLAN.silver,
          status: 'COVERED',
          estimate: [{ pharmacyType: '1-MONTH-IN-RETAIL', monthlyLow: 0, monthlyHigh: 0, assumptions: ['no charge at this pharmacy type'], ...NO_PRICE }],
        },
        { rxnormId: RXCUI.lipitor20, planId: PLAN.silver, status: 'NOT_COVERED', estimate: null },
      ]);
    });
  });

  describe('reference CSV loading', () => {
    it('refuses a price file with bad lines, naming each, and loads none of it', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trust-prices-'));
      const file = join(dir, 'bad-prices.csv');
      await writeFile(
        file,
        ['rxnorm_id,price_per_30_days,source,as_of', `${RXCUI.eliquis5},1.00,Overwrite attempt,2026-02-01`, 'abc,$5,,2026-02-30'].join('\n'),
      );
      try {
        const error: ReferenceCsvError = await loadDrugPrices(t.app.get(Database), file).then(
          () => {
            throw new Error('expected the file to be refused');
          },
          (e) => e,
        );
        expect(error).toBeInstanceOf(ReferenceCsvError);
        expect(error.problems).toEqual([
          'line 3: rxnorm_id "abc" must be 1 to 10 digits',
          'line 3: price_per_30_days "$5" must be dollars such as 12.50 (no $ sign)',
          'line 3: source is empty (say where the price comes from)',
          'line 3: as_of "2026-02-30" must be a date YYYY-MM-DD',
        ]);
        // The valid line 2 was not loaded either: Eliquis keeps its price.
        const [price] = await t.db.query(`SELECT price_per_30_days AS price, source FROM drug_price WHERE rxnorm_id = $1`, [RXCUI.eliquis5]);
        expect(price).toEqual({ price: 550, source: 'Trust test prices' });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});

describe('answers that read reference data (prices), cached and revalidated', () => {
  let t: TestApp;
  const PREFLIGHT = { 'apollo-require-preflight': 'true' };
  const query = `{ drugCoverage(rxnormIds: ["${RXCUI.eliquis5}"], planIds: ["${PLAN.silver}"], year: 2026) { rxnormId ${ESTIMATE} } }`;
  const get = (headers: Record<string, string> = {}) =>
    t
      .http()
      .get(`/graphql?${new URLSearchParams({ query })}`)
      .set({ ...PREFLIGHT, ...headers });

  beforeAll(async () => {
    t = await startTestApp({ answerCacheMaxBytes: 1024 * 1024 });
    await loadTrustFixtures(t.db);
  });
  afterAll(async () => {
    // The fixture prices again, for the other tests of the shared database.
    await loadTrustFixtures(t.db);
    await t.close();
  });

  it('changes the ETag and the answer when a price file is loaded (no dataset publish), in every cache', async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const priced = () => first.body.data.drugCoverage[0].estimate[0].priceUsed as number;
    expect(priced()).toBe(550);
    expect((await get({ 'if-none-match': first.headers.etag })).status).toBe(304);
    expect((await get()).text).toBe(first.text);

    const fastPath = t.app.get(AnswerFastPath);
    const generation = fastPath.generation();
    const dir = await mkdtemp(join(tmpdir(), 'trust-prices-'));
    try {
      const file = join(dir, 'new-prices.csv');
      await writeFile(file, ['rxnorm_id,price_per_30_days,source,as_of', `${RXCUI.eliquis5},612.50,New list prices,2026-03-01`].join('\n'));
      await loadDrugPrices(t.app.get(Database), file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // The load is announced to the fast path (delivered asynchronously, like a publish).
    for (let i = 0; i < 500 && fastPath.generation() === generation; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fastPath.generation()).not.toBe(generation);

    const revalidated = await get({ 'if-none-match': first.headers.etag });
    expect(revalidated.status).toBe(200);
    expect(revalidated.headers.etag).not.toBe(first.headers.etag);
    expect(revalidated.body.data.drugCoverage[0].estimate[0]).toMatchObject({ priceUsed: 612.5, priceSource: 'New list prices', priceAsOf: '2026-03-01' });
    const posted = await t.http().post('/graphql').send({ query });
    expect(posted.body.data.drugCoverage[0].estimate[0].priceUsed).toBe(612.5);
    expect((await get()).text).toBe(revalidated.text);
  });
});
