import { TestApp } from '../helpers/test-app';
import { A, B, RXCUI, startWithTwoIssuers, stopWithTwoIssuers, TwoIssuers } from './two-issuers';

/**
 * A publish changes the ETag of exactly the answers it affects: an answer naming issuer A's plans keeps
 * its ETag (If-None-Match → 304) when issuer B publishes, and gets a new one (and the new answer) when A
 * publishes; answers across every issuer change with any publish; an answer that reads B's directory
 * through a doctor B lists changes with B's publish too.
 */
const PREFLIGHT = { 'apollo-require-preflight': 'true' };
const NETWORK = `query Network($npis: [String!]!, $planIds: [String!]!) { networkCoverage(npis: $npis, planIds: $planIds, year: 2026) { planId status message } }`;
const DRUGS = `query Drugs($planIds: [String!]!) { drugCoverage(rxnormIds: ["${RXCUI}"], planIds: $planIds) { planId status message plan { marketingName } } }`;

function getUrl(query: string, variables?: unknown): string {
  const params = new URLSearchParams({ query });
  if (variables !== undefined) params.set('variables', JSON.stringify(variables));
  return `/graphql?${params}`;
}

describe('ETags scoped to the issuers an answer reads', () => {
  let t: TestApp;
  let issuers: TwoIssuers;

  const get = (url: string, etag?: string) =>
    t
      .http()
      .get(url)
      .set({ ...PREFLIGHT, ...(etag ? { 'if-none-match': etag } : {}) });

  /** Asks, lets `act` publish, asks again with the ETag first given: the second answer. */
  async function across(url: string, act: () => Promise<unknown>) {
    const before = await get(url);
    expect(before.status).toBe(200);
    expect(before.headers.etag).toBeDefined();
    await act();
    return { before, after: await get(url, before.headers.etag) };
  }

  beforeAll(async () => ({ t, issuers } = await startWithTwoIssuers()));
  afterAll(() => stopWithTwoIssuers(t, issuers));

  it("keeps the ETag of a networkCoverage on issuer A's plan when issuer B publishes (304)", async () => {
    const url = getUrl(NETWORK, { npis: [A.doctor], planIds: [A.planId] });
    const { before, after } = await across(url, () => issuers.publish(B));
    expect(before.body.data.networkCoverage[0].message).toBe(
      `Dana ${A.last} v${issuers.variant(A)} is in network for ${A.last} Health Silver v${issuers.variant(A)} for 2026 (PREFERRED tier).`,
    );
    expect(after.status).toBe(304);
    expect(after.headers.etag).toBe(before.headers.etag);
  });

  it("changes the ETag of a networkCoverage on issuer B's plan when B publishes, with the new answer", async () => {
    const url = getUrl(NETWORK, { npis: [B.doctor], planIds: [B.planId] });
    const { before, after } = await across(url, () => issuers.publish(B));
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const v = issuers.variant(B);
    expect(after.body.data.networkCoverage).toEqual([
      { planId: B.planId, status: 'IN_NETWORK', message: `Dana ${B.last} v${v} is in network for ${B.last} Health Silver v${v} for 2026 (PREFERRED tier).` },
    ]);
    expect((await get(url, after.headers.etag)).status).toBe(304);
  });

  it("changes the ETag of an answer on A's plan that names B's doctor when B publishes (B's directory is read)", async () => {
    const url = getUrl(NETWORK, { npis: [B.doctor], planIds: [A.planId] });
    const { before, after } = await across(url, () => issuers.publish(B));
    expect(before.body.data.networkCoverage[0].status).toBe('OUT_OF_NETWORK');
    expect(after.status).toBe(200);
    expect(after.body.data.networkCoverage[0].message).toBe(
      `Dana ${B.last} v${issuers.variant(B)} is not in the network of ${A.last} Health Silver v${issuers.variant(A)} for 2026.`,
    );
  });

  it("keeps the ETag of a drugCoverage on A's plan when B publishes, and changes it when A does", async () => {
    const url = getUrl(DRUGS, { planIds: [A.planId] });
    const unchanged = await across(url, () => issuers.publish(B));
    expect(unchanged.after.status).toBe(304);
    const changed = await across(url, () => issuers.publish(A));
    expect(changed.after.status).toBe(200);
    expect(changed.after.body.data.drugCoverage[0].plan.marketingName).toBe(`${A.last} Health Silver v${issuers.variant(A)}`);
  });

  it("changes the ETag of a drugCoverage on A's plan when B publishes another name for the drug (names are read across formularies)", async () => {
    const url = getUrl(DRUGS, { planIds: [A.planId] });
    const { before, after } = await across(url, () => issuers.publish(B, 'Atorvastatin (Brandt) 20 MG Oral Tablet'));
    expect(before.body.data.drugCoverage[0].message).toMatch(/^atorvastatin 20 MG Oral Tablet is covered/);
    expect(after.status).toBe(200);
    expect(after.body.data.drugCoverage[0].message).toMatch(/^Atorvastatin \(Brandt\) 20 MG Oral Tablet is covered/);
    await issuers.publish(B);
  });

  it('changes the ETag of plan-scoped lookups only with their issuer', async () => {
    const plan = getUrl(`query P($id: String!) { plan(planId: $id) { marketingName issuer { name } networks { id planIds } } }`, { id: A.planId });
    expect((await across(plan, () => issuers.publish(B))).after.status).toBe(304);
    const changed = await across(plan, () => issuers.publish(A));
    expect(changed.after.status).toBe(200);
    expect(changed.after.body.data.plan.marketingName).toBe(`${A.last} Health Silver v${issuers.variant(A)}`);
    const issuer = getUrl(`{ issuer(issuerId: "${A.issuerId}") { currentVersionId } }`);
    expect((await across(issuer, () => issuers.publish(B))).after.status).toBe(304);
  });

  it('changes the ETag of a search across every issuer with any publish', async () => {
    const url = getUrl(`{ searchProviders(filter: { name: "Dana" }, first: 10) { edges { node { listing { displayName } } } } }`);
    const { before, after } = await across(url, () => issuers.publish(B));
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const names = after.body.data.searchProviders.edges.map((e: { node: { listing: { displayName: string } } }) => e.node.listing.displayName);
    expect(names).toContain(`Dana ${B.last} v${issuers.variant(B)}`);
  });

  describe('REST reads', () => {
    it("keep the ETag of providers/covered on A's plan when B publishes, and change it when A does", async () => {
      const url = `/api/v1/providers/covered?providerids=${A.doctor}&planids=${A.planId}&year=2026`;
      expect((await across(url, () => issuers.publish(B))).after.status).toBe(304);
      const changed = await across(url, () => issuers.publish(A));
      expect(changed.after.status).toBe(200);
      expect(changed.after.headers.etag).not.toBe(changed.before.headers.etag);
    });

    it("keep the ETag of drugs/covered on A's plan when B publishes; B's changes with B", async () => {
      expect((await across(`/api/v1/drugs/covered?drugs=${RXCUI}&planids=${A.planId}`, () => issuers.publish(B))).after.status).toBe(304);
      expect((await across(`/api/v1/drugs/covered?drugs=${RXCUI}&planids=${B.planId}`, () => issuers.publish(B))).after.status).toBe(200);
    });

    it('keep the ETag of a plan lookup when another issuer publishes; a search changes', async () => {
      const plan = await across(`/api/v1/plans/${A.planId}?year=2026`, () => issuers.publish(B));
      expect(plan.after.status).toBe(304);
      const search = await across(`/api/v1/drugs/autocomplete?q=atorva`, () => issuers.publish(B));
      expect(search.after.status).toBe(200);
    });
  });
});
