import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, NPI, PLAN, YEAR } from './search-fixtures';

const SEARCH = `
  query Search($filter: ProviderSearchFilter!, $orderBy: ProviderSearchOrder, $first: Int, $after: String) {
    searchProviders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      edges {
        cursor
        node {
          distanceMiles relevance
          nearestAddress { zip city }
          listing { npi displayName issuerId versionId recordNo specialties type accepting languages gender addresses { zip } }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }`;

describe('searchProviders (GraphQL over HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await loadSearchFixtures(t.db);
  });
  afterAll(() => t.close());

  async function search(filter: Record<string, unknown>, extra: Record<string, unknown> = {}) {
    const res = await t.gql(SEARCH, { filter, ...extra });
    expect(res.errors).toBeUndefined();
    return res.data.searchProviders as { edges: Array<{ cursor: string; node: any }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  }
  const npis = (connection: { edges: Array<{ node: any }> }) => connection.edges.map((e) => e.node.listing.npi);

  /** Every page of a search, following endCursor, `pageSize` at a time. */
  async function allPages(filter: Record<string, unknown>, orderBy: string | null, pageSize: number) {
    const pages: string[][] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await search(filter, { orderBy, first: pageSize, after });
      pages.push(page.edges.map((e) => `${e.node.listing.versionId}:${e.node.listing.recordNo}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return pages;
  }

  describe('typo-tolerant name search', () => {
    it('finds John Smith first for "jonh smth"', async () => {
      const result = await search({ name: 'jonh smth' });
      expect(result.edges[0].node.listing.displayName).toBe('John Smith');
      expect(result.edges[0].node.relevance).toBeGreaterThan(0.3);
    });

    it('ranks John Smith above the look-alike names in one plan, both of its listings first across issuers', async () => {
      const inSilver = await search({ name: 'jonh smth', planId: PLAN.silver });
      expect(npis(inSilver).slice(0, 2)).toEqual([NPI.johnSmith, NPI.johnSmithers]);
      const relevance = inSilver.edges.map((e) => e.node.relevance);
      expect([...relevance].sort((a, b) => b - a)).toEqual(relevance);

      // 66666 and 66667 both list John Smith: one result per listing, in issuer (version) order on a tie.
      const everywhere = await search({ name: 'John Smith', type: 'INDIVIDUAL' });
      const johns = everywhere.edges.filter((e) => e.node.listing.npi === NPI.johnSmith).map((e) => e.node.listing.issuerId);
      expect(johns).toEqual(['66666', '66667']);
    });

    it('returns published listings only: a provider dropped in the current version is not found', async () => {
      const result = await search({ name: 'Mark Davis' });
      expect(npis(result)).not.toContain(NPI.markDavis);
      const added = await search({ name: 'Nina Patel' });
      expect(npis(added)).toContain(NPI.ninaPatel);
    });
  });

  describe('ZIP and radius', () => {
    it('keeps providers within the radius, nearest first, with the nearest address and its distance', async () => {
      const result = await search({ zip: '45701', radiusMiles: 30, planId: PLAN.silver });
      expect(npis(result)).toEqual([
        NPI.johnSmith, // Athens 45701
        NPI.athensHospital, // Athens 45701 (same distance: listing order breaks the tie)
        NPI.johnSmithers, // The Plains
        NPI.janeSmith, // Albany
        NPI.emilyChen, // Guysville (her Zanesville address is 42 miles away)
        NPI.johnnySmithson, // Nelsonville
        NPI.dialysis, // Logan
      ]);
      const distances = result.edges.map((e) => e.node.distanceMiles);
      expect(distances[0]).toBe(0);
      expect(distances[2]).toBeCloseTo(3.76, 1);
      expect(distances[6]).toBeCloseTo(22.49, 1);
      expect(distances.every((d: number) => d <= 30)).toBe(true);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      const emily = result.edges.find((e) => e.node.listing.npi === NPI.emilyChen)!.node;
      expect(emily.nearestAddress).toEqual({ zip: '45735', city: 'Guysville' });
      expect(emily.listing.addresses.map((a: { zip: string }) => a.zip)).toEqual(['43701', '45735']);
    });

    it('a larger radius takes in Marietta (35 mi) but still not Portsmouth (57 mi)', async () => {
      const result = await search({ zip: '45701', radiusMiles: 40, planId: PLAN.silver });
      expect(npis(result)).toContain(NPI.aliceWalker);
      expect(npis(result)).not.toContain(NPI.robertBrown);
    });

    it('rejects a radius above 100 miles, an unknown ZIP and a radius without a ZIP', async () => {
      const tooFar = await t.gql(SEARCH, { filter: { zip: '45701', radiusMiles: 500 } });
      expect(tooFar.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(tooFar.errors?.[0].message).toMatch(/at most 100 miles \(got 500\)/);

      const unknownZip = await t.gql(SEARCH, { filter: { zip: '00000' } });
      expect(unknownZip.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(unknownZip.errors?.[0].message).toMatch(/Unknown ZIP code 00000/);

      const noZip = await t.gql(SEARCH, { filter: { name: 'smith', radiusMiles: 10 } });
      expect(noZip.errors?.[0].message).toMatch(/radiusMiles needs filter.zip/);
    });
  });

  describe('filters', () => {
    it('matches specialties case-insensitively', async () => {
      const result = await search({ specialty: 'PSYCHIATRY', planId: PLAN.bronze }, { orderBy: 'NAME' });
      // Sarah Miller's file spells it "psychiatry".
      expect(npis(result)).toEqual([NPI.johnnySmithson, NPI.sarahMiller]);
    });

    it('filters by type, facility type, language, gender and accepting new patients', async () => {
      expect(npis(await search({ planId: PLAN.silver, type: 'FACILITY' }, { orderBy: 'NAME' }))).toEqual([NPI.athensHospital, NPI.dialysis]);
      expect(npis(await search({ planId: PLAN.silver, facilityType: 'hospital' }))).toEqual([NPI.athensHospital]);
      expect(npis(await search({ planId: PLAN.bronze, language: 'spanish' }, { orderBy: 'NAME' }))).toEqual([NPI.johnSmith, NPI.sarahMiller]);
      expect(npis(await search({ planId: PLAN.silver, gender: 'female' }, { orderBy: 'NAME' }))).toEqual([NPI.aliceWalker, NPI.emilyChen, NPI.janeSmith]);
      expect(npis(await search({ planId: PLAN.bronze, acceptingNewPatients: false }))).toEqual([NPI.maryJones]);
    });

    it('keeps only the network of the plan (and year)', async () => {
      const bronze = await search({ planId: PLAN.bronze, year: YEAR }, { orderBy: 'NAME', first: 100 });
      expect(npis(bronze)).toEqual([NPI.athensHospital, NPI.davidLee, NPI.johnSmith, NPI.johnnySmithson, NPI.maryJones, NPI.robertBrown, NPI.sarahMiller]);
      const otherYear = await search({ planId: PLAN.bronze, year: YEAR + 1 });
      expect(otherYear.edges).toEqual([]);
    });

    it('needs a driving filter', async () => {
      const res = await t.gql(SEARCH, { filter: { gender: 'Female' } });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toMatch(/at least one of filter.name, filter.zip, filter.planId or filter.specialty/);
    });
  });

  describe('pagination', () => {
    it.each([
      // Within 50 miles of Athens, Ohio: only this suite's providers (the other suites' are around Columbus, 66 mi).
      ['NAME', { planId: PLAN.silver }],
      ['DISTANCE', { zip: '45701', radiusMiles: 50 }],
      ['RELEVANCE', { name: 'smith', zip: '45701', radiusMiles: 50 }],
    ])('pages ordered by %s add up to the full ordered list, without duplicates', async (orderBy, filter) => {
      const [full] = await allPages(filter, orderBy, 100);
      expect(full.length).toBeGreaterThanOrEqual(5);
      const pages = await allPages(filter, orderBy, 2);
      expect(pages.length).toBe(Math.ceil(full.length / 2));
      expect(pages.flat()).toEqual(full);
      expect(new Set(pages.flat()).size).toBe(full.length);
    });

    it('caps the page size at 100 and refuses a cursor made for another ordering', async () => {
      const tooBig = await t.gql(SEARCH, { filter: { planId: PLAN.silver }, first: 500 });
      expect(tooBig.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(tooBig.errors?.[0].message).toMatch(/first must be between 1 and 100 \(got 500\)/);

      const byName = await search({ planId: PLAN.silver }, { orderBy: 'NAME', first: 1 });
      const mixed = await t.gql(SEARCH, { filter: { planId: PLAN.silver }, orderBy: 'RELEVANCE', first: 1, after: byName.pageInfo.endCursor });
      // Without a name, RELEVANCE falls back to NAME, so the cursor fits; DISTANCE is another ordering.
      expect(mixed.errors).toBeUndefined();
      const wrong = await t.gql(SEARCH, { filter: { planId: PLAN.silver, zip: '45701' }, orderBy: 'DISTANCE', after: byName.pageInfo.endCursor });
      expect(wrong.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(wrong.errors?.[0].message).toMatch(/Invalid cursor/);
    });
  });
});
