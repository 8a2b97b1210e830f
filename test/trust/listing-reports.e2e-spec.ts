import { randomBytes } from 'node:crypto';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import { ContactEmailCipher } from '../../src/reports/contact-email-cipher';
import { ListingReportsService } from '../../src/reports/listing-reports.service';
import { startTestApp, TestApp } from '../helpers/test-app';
import { ISSUER, loadTrustFixtures, NPI, PLAN } from './trust-fixtures';

const REPORT = `mutation($input: ReportListingInput!) { reportListing(input: $input) { id npi issuerId planId kind status } }`;
const INBOX = `query($issuerId: String!, $status: ListingReportStatus, $first: Int, $after: String) {
  listingReports(issuerId: $issuerId, status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id npi issuerId planId kind details contactEmail status listingVersionId resolutionNote resolvedBy } }
  }
}`;
const RESOLVE = `mutation($id: String!, $resolution: ListingReportResolution!, $note: String) {
  resolveListingReport(id: $id, resolution: $resolution, note: $note) { id status resolutionNote resolvedBy }
}`;
const CONTACT = 'member.reporting@example.com';

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

describe('wrong-listing reports (GraphQL over HTTP)', () => {
  let t: TestApp;
  let versions: Record<string, number>;
  let mainKey: string;
  let secondKey: string;
  let phoneReportId: string;

  beforeAll(async () => {
    // Generous here; the strict default is exercised in the next describe.
    process.env.REPORT_RATE_LIMIT_PER_MINUTE = '50';
    t = await startTestApp();
    versions = (await loadTrustFixtures(t.db)).versionIds;
    const apiKeys = t.app.get(ApiKeysService);
    mainKey = (await apiKeys.create({ issuerIds: [ISSUER.main], label: 'Trust Test Health directory team' })).plainKey;
    secondKey = (await apiKeys.create({ issuerIds: [ISSUER.second], label: 'Second Trust uploads' })).plainKey;
  });
  afterAll(async () => {
    delete process.env.REPORT_RATE_LIMIT_PER_MINUTE;
    await t.close();
  });

  describe('filing', () => {
    it('files a report on a listing in a plan, routed to its carrier, echoing no personal data', async () => {
      const res = await t.gql(REPORT, {
        input: {
          npi: NPI.dina,
          planId: PLAN.silver,
          kind: 'WRONG_PHONE',
          details: 'The listed office has no phone number; the clinic says it is 614-555-0142.',
          contactEmail: CONTACT,
        },
      });
      expect(res.errors).toBeUndefined();
      const { id, ...receipt } = res.data.reportListing;
      expect(receipt).toEqual({ npi: NPI.dina, issuerId: ISSUER.main, planId: PLAN.silver, kind: 'WRONG_PHONE', status: 'OPEN' });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      phoneReportId = id;
    });

    it('files a report on an issuer directory without a plan', async () => {
      const res = await t.gql(REPORT, {
        input: { npi: NPI.ben, issuerId: ISSUER.main, kind: 'NOT_ACCEPTING', details: 'Front desk says Dr. Okafor stopped taking new patients.' },
      });
      expect(res.errors).toBeUndefined();
      const { id, ...receipt } = res.data.reportListing;
      expect(receipt).toEqual({ npi: NPI.ben, issuerId: ISSUER.main, planId: null, kind: 'NOT_ACCEPTING', status: 'OPEN' });
      expect(id).toEqual(expect.any(String));
    });

    it('does not let the receipt expose the contact email', async () => {
      const res = await t.gql(`mutation { reportListing(input: { npi: "${NPI.dina}", kind: OTHER, details: "x" }) { id contactEmail } }`);
      expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.errors?.[0].message).toBe('Cannot query field "contactEmail" on type "ListingReportReceipt".');
    });

    it.each([
      ['a provider listed nowhere', { npi: NPI.nobody }, `NPI ${NPI.nobody} is not listed in any published directory: there is no listing to report`],
      [
        'a provider not in the named plan',
        { npi: NPI.ben, planId: PLAN.silver },
        `NPI ${NPI.ben} is not listed in the published directory of plan ${PLAN.silver}: there is no listing to report`,
      ],
      [
        'a plan of another issuer',
        { npi: NPI.ada, planId: PLAN.silver, issuerId: ISSUER.second },
        `plan ${PLAN.silver} belongs to issuer ${ISSUER.main}, not ${ISSUER.second}`,
      ],
      [
        'a provider listed by two issuers, without saying which',
        { npi: NPI.ada },
        `NPI ${NPI.ada} is listed by issuers ${ISSUER.main}, ${ISSUER.second}: say which listing is wrong with planId or issuerId`,
      ],
    ])('refuses a report on %s', async (_case, target, message) => {
      const res = await t.gql(REPORT, { input: { kind: 'WRONG_ADDRESS', details: 'Moved away last year.', ...target } });
      expect(res.data).toBeNull();
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toBe(message);
    });

    it.each([
      ['an NPI failing its check digit', { npi: NPI.invalid }, `npi: NPI "${NPI.invalid}" fails the NPI check digit (Luhn)`],
      ['a malformed plan id', { planId: '44444OH001' }, 'planId: plan id "44444OH001" is not a 14-character HIOS plan id'],
      ['details over 1000 characters', { details: 'x'.repeat(1001) }, 'details must be 1 to 1000 characters'],
      ['blank details', { details: '   ' }, 'details must say what is wrong'],
      ['a malformed email', { contactEmail: 'not-an-email@' }, 'contactEmail must be an email address such as name@example.com'],
    ])('refuses %s', async (_case, override, message) => {
      const input = { npi: NPI.dina, planId: PLAN.silver, kind: 'WRONG_ADDRESS', details: 'Wrong suite.', ...override };
      const res = await t.gql(REPORT, { input });
      expect(res.data).toBeNull();
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain(message);
      // Personal data is never echoed in errors.
      expect(JSON.stringify(res.errors)).not.toContain('not-an-email@');
    });

    it('accepts exactly 1000 characters of details', async () => {
      const res = await t.gql(REPORT, { input: { npi: NPI.clinic, planId: PLAN.gold, kind: 'OTHER', details: 'y'.repeat(1000) } });
      expect(res.errors).toBeUndefined();
      expect(res.data.reportListing).toMatchObject({ issuerId: ISSUER.main, planId: PLAN.gold, kind: 'OTHER', status: 'OPEN' });
    });
  });

  describe("carriers' inbox", () => {
    it("shows a carrier its issuer's reports, newest first, with the contact email", async () => {
      const res = await t.gql(INBOX, { issuerId: ISSUER.main }, bearer(mainKey));
      expect(res.errors).toBeUndefined();
      const page = res.data.listingReports;
      expect(page.totalCount).toBe(3);
      expect(page.pageInfo.hasNextPage).toBe(false);
      // totalCount counts every matching report, not the page, and follows the status filter.
      const onePage = await t.gql(INBOX, { issuerId: ISSUER.main, first: 1 }, bearer(mainKey));
      expect(onePage.data.listingReports).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
      expect(onePage.data.listingReports.edges).toHaveLength(1);
      const fixed = await t.gql(INBOX, { issuerId: ISSUER.main, status: 'FIXED' }, bearer(mainKey));
      expect(fixed.data.listingReports).toMatchObject({ totalCount: 0, edges: [] });
      expect(page.edges.map((e: any) => [e.node.npi, e.node.kind])).toEqual([
        [NPI.clinic, 'OTHER'],
        [NPI.ben, 'NOT_ACCEPTING'],
        [NPI.dina, 'WRONG_PHONE'],
      ]);
      expect(page.edges[2].node).toEqual({
        id: phoneReportId,
        npi: NPI.dina,
        issuerId: ISSUER.main,
        planId: PLAN.silver,
        kind: 'WRONG_PHONE',
        details: 'The listed office has no phone number; the clinic says it is 614-555-0142.',
        contactEmail: CONTACT,
        status: 'OPEN',
        listingVersionId: versions[ISSUER.main],
        resolutionNote: null,
        resolvedBy: null,
      });
    });

    it('stores the contact email sealed, readable only through the carrier view', async () => {
      const [row] = await t.db.query(`SELECT contact_email FROM listing_report WHERE id = $1`, [phoneReportId]);
      expect(row.contact_email).toMatch(/^v1:[A-Za-z0-9_-]+$/);
      expect(row.contact_email).not.toContain('member.reporting');
      // Each seal has its own IV: the same address sealed twice gives two different values.
      const emails = t.app.get(ContactEmailCipher);
      expect(emails.seal(CONTACT)).not.toBe(emails.seal(CONTACT));
      expect(emails.open(row.contact_email)).toBe(CONTACT);
      // Sealed with another key: not opened (null), never garbage.
      expect(new ContactEmailCipher(randomBytes(32)).open(row.contact_email)).toBeNull();
    });

    it('seals at start the contact emails an earlier version stored in plain text', async () => {
      const [{ id }] = await t.db.query(
        `INSERT INTO listing_report (npi, issuer_id, plan_id, kind, details, contact_email, listing_version_id)
         VALUES ($1, $2, NULL, 'OTHER', 'filed before emails were sealed', 'old.reporter@example.com', $3) RETURNING id`,
        [NPI.ben, ISSUER.second, versions[ISSUER.second]],
      );
      await t.app.get(ListingReportsService).onApplicationBootstrap();
      const [row] = await t.db.query(`SELECT contact_email FROM listing_report WHERE id = $1`, [id]);
      expect(row.contact_email).toMatch(/^v1:/);
      const inbox = await t.gql(INBOX, { issuerId: ISSUER.second }, bearer(secondKey));
      expect(inbox.errors).toBeUndefined();
      expect(inbox.data.listingReports.edges.find((e: any) => e.node.id === id).node.contactEmail).toBe('old.reporter@example.com');
      await t.db.query(`DELETE FROM listing_report WHERE id = $1`, [id]);
    });

    it('pages with cursors and filters by status', async () => {
      const first = await t.gql(INBOX, { issuerId: ISSUER.main, status: 'OPEN', first: 2 }, bearer(mainKey));
      expect(first.errors).toBeUndefined();
      expect(first.data.listingReports.pageInfo.hasNextPage).toBe(true);
      expect(first.data.listingReports.edges.map((e: any) => e.node.npi)).toEqual([NPI.clinic, NPI.ben]);
      const second = await t.gql(
        INBOX,
        { issuerId: ISSUER.main, status: 'OPEN', first: 2, after: first.data.listingReports.pageInfo.endCursor },
        bearer(mainKey),
      );
      expect(second.data.listingReports.pageInfo.hasNextPage).toBe(false);
      expect(second.data.listingReports.edges.map((e: any) => e.node.npi)).toEqual([NPI.dina]);
    });

    it("refuses another issuer's key, and requests without a key", async () => {
      const other = await t.gql(INBOX, { issuerId: ISSUER.main }, bearer(secondKey));
      expect(other.data).toBeNull();
      expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(other.errors?.[0].message).toMatch(new RegExp(`^API key cov_.{8}… may read reports of issuers ${ISSUER.second}, not of ${ISSUER.main}$`));
      expect(JSON.stringify(other)).not.toContain(CONTACT);

      const anonymous = await t.gql(INBOX, { issuerId: ISSUER.main });
      expect(anonymous.data).toBeNull();
      expect(anonymous.errors?.[0].message).toBe('API key required: send Authorization: Bearer <key>');
      expect(JSON.stringify(anonymous)).not.toContain(CONTACT);

      // The other carrier's own inbox is empty: reports go only to the listing's issuer.
      const own = await t.gql(INBOX, { issuerId: ISSUER.second }, bearer(secondKey));
      expect(own.data.listingReports).toMatchObject({ totalCount: 0, edges: [] });
    });

    it("lets only the listing's carrier resolve a report", async () => {
      const refused = await t.gql(RESOLVE, { id: phoneReportId, resolution: 'REJECTED' }, bearer(secondKey));
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

      const res = await t.gql(RESOLVE, { id: phoneReportId, resolution: 'FIXED', note: 'Phone added in the next directory load.' }, bearer(mainKey));
      expect(res.errors).toBeUndefined();
      expect(res.data.resolveListingReport).toEqual({
        id: phoneReportId,
        status: 'FIXED',
        resolutionNote: 'Phone added in the next directory load.',
        resolvedBy: 'Trust Test Health directory team',
      });

      const missing = await t.gql(RESOLVE, { id: '00000000-0000-4000-8000-000000000000', resolution: 'FIXED' }, bearer(mainKey));
      expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });

  describe('public counts', () => {
    it('counts reports by plan, kind and status, without any personal data', async () => {
      const res = await t.gql(`{ listingReportCounts(issuerId: "${ISSUER.main}") { issuerId planId kind status count } }`);
      expect(res.errors).toBeUndefined();
      expect(res.data.listingReportCounts).toEqual([
        { issuerId: ISSUER.main, planId: null, kind: 'NOT_ACCEPTING', status: 'OPEN', count: 1 },
        { issuerId: ISSUER.main, planId: PLAN.silver, kind: 'WRONG_PHONE', status: 'FIXED', count: 1 },
        { issuerId: ISSUER.main, planId: PLAN.gold, kind: 'OTHER', status: 'OPEN', count: 1 },
      ]);
      const byPlan = await t.gql(`{ listingReportCounts(planId: "${PLAN.silver}") { planId kind status count } }`);
      expect(byPlan.data.listingReportCounts).toEqual([{ planId: PLAN.silver, kind: 'WRONG_PHONE', status: 'FIXED', count: 1 }]);

      expect(JSON.stringify(res)).not.toContain(CONTACT);
      const probe = await t.gql(`{ listingReportCounts { contactEmail } }`);
      expect(probe.errors?.[0].message).toBe('Cannot query field "contactEmail" on type "ListingReportCount".');
    });
  });
});

describe('wrong-listing reports: rate limit per IP', () => {
  let t: TestApp;

  beforeAll(async () => {
    process.env.REPORT_RATE_LIMIT_PER_MINUTE = '3';
    t = await startTestApp();
    await loadTrustFixtures(t.db);
  });
  afterAll(async () => {
    delete process.env.REPORT_RATE_LIMIT_PER_MINUTE;
    await t.close();
  });

  it('refuses reports over the limit with 429 and Retry-After, counting malformed and aliased attempts', async () => {
    const input = { npi: NPI.clinic, planId: PLAN.silver, kind: 'WRONG_ADDRESS', details: 'Closed since spring.' };
    expect((await t.gql(REPORT, { input })).errors).toBeUndefined();
    expect((await t.gql(REPORT, { input: { ...input, npi: NPI.invalid } })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Two reports aliased in one request count as two: the first is the 3rd allowed, the second is refused.
    const aliased = await t.gql(`mutation($input: ReportListingInput!) { a: reportListing(input: $input) { kind } b: reportListing(input: $input) { kind } }`, {
      input,
    });
    expect(aliased.status).toBe(429);
    expect(aliased.errors?.map((e: any) => [e.path, e.extensions?.code])).toEqual([[['b'], 'RATE_LIMITED']]);

    const over = await t.http().post('/graphql').send({ query: REPORT, variables: { input } });
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(over.body.data).toBeNull();
    expect(over.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(over.body.errors[0].message).toMatch(/^Too many listing reports from your address: at most 3 per minute\. Try again in \d+ s\.$/);

    const [{ filed }] = await t.db.query(`SELECT count(*)::int AS filed FROM listing_report WHERE npi = $1 AND details = $2`, [NPI.clinic, input.details]);
    expect(filed).toBe(2);

    // Only reports are limited this strictly: reading still works.
    const read = await t.gql(`{ listingReportCounts(planId: "${PLAN.silver}") { kind count } }`);
    expect(read.errors).toBeUndefined();
  });
});

describe('wrong-listing reports: the limit given to createApp wins over the environment', () => {
  let t: TestApp;

  beforeAll(async () => {
    process.env.REPORT_RATE_LIMIT_PER_MINUTE = '50';
    t = await startTestApp({ reportsPerMinute: 1 });
    await loadTrustFixtures(t.db);
  });
  afterAll(async () => {
    delete process.env.REPORT_RATE_LIMIT_PER_MINUTE;
    await t.close();
  });

  it('refuses the second report in a minute', async () => {
    const input = { npi: NPI.clinic, planId: PLAN.silver, kind: 'WRONG_ADDRESS', details: 'Moved across town.' };
    expect((await t.gql(REPORT, { input })).errors).toBeUndefined();
    const over = await t.gql(REPORT, { input });
    expect(over.status).toBe(429);
    expect(over.errors?.[0].message).toMatch(/^Too many listing reports from your address: at most 1 per minute\./);
  });
});
