import { startTestApp, TestApp } from '../helpers/test-app';
import { loadSearchFixtures, NPI, PLAN, RXCUI } from '../search/search-fixtures';

const NETWORK_CHANGES = `
  query NetworkChanges($planId: String!, $sinceVersionId: Int, $since: DateTime, $untilVersionId: Int, $change: NetworkChangeKind, $first: Int, $after: String) {
    networkChanges(planId: $planId, sinceVersionId: $sinceVersionId, since: $since, untilVersionId: $untilVersionId, change: $change, first: $first, after: $after) {
      planId issuerId note added dropped
      fromVersion { versionId status publishedAt }
      toVersion { versionId status publishedAt }
      changes { edges { node { npi displayName change networkTiers } } pageInfo { hasNextPage endCursor } }
    }
  }`;

const FORMULARY_CHANGES = `
  query FormularyChanges($planId: String!, $sinceVersionId: Int) {
    formularyChanges(planId: $planId, sinceVersionId: $sinceVersionId) {
      added removed tierChanged costSharingChanged restrictionsChanged
      fromVersion { versionId } toVersion { versionId }
      tierCostSharingChanges { drugTier pharmacyType before after }
      changes { edges { node {
        rxnormId drugName changes drugTierBefore drugTierAfter costBefore costAfter
        priorAuthorizationBefore priorAuthorizationAfter quantityLimitBefore quantityLimitAfter
      } } }
    }
  }`;

describe('change history between two loads of an issuer (GraphQL over HTTP)', () => {
  let t: TestApp;
  let v1: number;
  let v2: number;

  beforeAll(async () => {
    t = await startTestApp();
    ({
      researchVersions: [v1, v2],
    } = await loadSearchFixtures(t.db));
  });
  afterAll(() => t.close());

  async function networkChanges(variables: Record<string, unknown>) {
    const res = await t.gql(NETWORK_CHANGES, variables);
    expect(res.errors).toBeUndefined();
    return res.data.networkChanges;
  }

  it('lists the doctors the plan dropped and added, by NPI with name, between the previous and the published version', async () => {
    const changes = await networkChanges({ planId: PLAN.gold });
    expect(changes.fromVersion).toEqual({ versionId: v1, status: 'superseded', publishedAt: expect.any(String) });
    expect(changes.toVersion).toEqual({ versionId: v2, status: 'published', publishedAt: expect.any(String) });
    expect(Date.parse(changes.fromVersion.publishedAt)).toBeLessThanOrEqual(Date.parse(changes.toVersion.publishedAt));
    expect([changes.added, changes.dropped, changes.note]).toEqual([1, 1, null]);
    expect(changes.changes.edges.map((e: any) => e.node)).toEqual([
      { npi: NPI.markDavis, displayName: 'Mark Davis', change: 'DROPPED', networkTiers: ['PREFERRED'] },
      { npi: NPI.ninaPatel, displayName: 'Nina Patel', change: 'ADDED', networkTiers: ['PREFERRED'] },
    ]);
  });

  it('"which doctors did the plan drop since <date>?": from the version published at or before the date', async () => {
    const [{ publishedAt }] = await t.db.query(`SELECT published_at AS "publishedAt" FROM dataset_version WHERE id = $1`, [v1]);
    const dropped = await networkChanges({ planId: PLAN.gold, since: publishedAt.toISOString(), change: 'DROPPED' });
    expect(dropped.fromVersion.versionId).toBe(v1);
    expect(dropped.changes.edges.map((e: any) => e.node.npi)).toEqual([NPI.markDavis]);

    // Before any load: compared from the first version, and said so.
    const early = await networkChanges({ planId: PLAN.gold, since: '2000-01-01T00:00:00Z' });
    expect(early.fromVersion.versionId).toBe(v1);
    expect(early.note).toMatch(/No version was published by 2000-01-01/);
  });

  it('pages through the changes, and scopes them to the plan', async () => {
    const first = await networkChanges({ planId: PLAN.gold, sinceVersionId: v1, untilVersionId: v2, first: 1 });
    expect(first.changes.edges.map((e: any) => e.node.npi)).toEqual([NPI.markDavis]);
    expect(first.changes.pageInfo.hasNextPage).toBe(true);
    const second = await networkChanges({ planId: PLAN.gold, sinceVersionId: v1, first: 1, after: first.changes.pageInfo.endCursor });
    expect(second.changes.edges.map((e: any) => e.node.npi)).toEqual([NPI.ninaPatel]);
    expect(second.changes.pageInfo.hasNextPage).toBe(false);

    // Mark Davis and Nina Patel were only ever in Gold's network: Narrow Silver did not change.
    const narrow = await networkChanges({ planId: PLAN.narrow });
    expect([narrow.added, narrow.dropped, narrow.changes.edges]).toEqual([0, 0, []]);
  });

  it('lists drugs added and removed, tier, cost-sharing and restriction changes with the exact RXCUIs', async () => {
    const res = await t.gql(FORMULARY_CHANGES, { planId: PLAN.gold });
    expect(res.errors).toBeUndefined();
    const changes = res.data.formularyChanges;
    expect([changes.fromVersion.versionId, changes.toVersion.versionId]).toEqual([v1, v2]);
    expect([changes.added, changes.removed, changes.tierChanged, changes.costSharingChanged, changes.restrictionsChanged]).toEqual([1, 1, 1, 3, 1]);
    expect(changes.tierCostSharingChanges).toEqual([
      {
        drugTier: 'GENERIC',
        pharmacyType: '1-MONTH-IN-RETAIL',
        before: '$5 copay before deductible, 30-day retail',
        after: '$7 copay before deductible, 30-day retail',
      },
    ]);
    const byRxcui = Object.fromEntries(changes.changes.edges.map((e: any) => [e.node.rxnormId, e.node]));
    expect(Object.keys(byRxcui)).toEqual([RXCUI.zentorvastatin, RXCUI.quellamol, RXCUI.varnixaban, RXCUI.humbolimab, RXCUI.metrazine, RXCUI.crestrix]);
    expect(byRxcui[RXCUI.metrazine]).toMatchObject({
      changes: ['TIER_CHANGED', 'COST_SHARING_CHANGED'],
      drugTierBefore: 'GENERIC',
      drugTierAfter: 'PREFERRED-BRAND',
      costBefore: '$5 copay before deductible, 30-day retail',
      costAfter: '$20 copay before deductible, 30-day retail',
    });
    expect(byRxcui[RXCUI.zentorvastatin]).toMatchObject({ changes: ['COST_SHARING_CHANGED'], drugTierBefore: 'GENERIC', drugTierAfter: 'GENERIC' });
    expect(byRxcui[RXCUI.varnixaban]).toMatchObject({ changes: ['REMOVED'], drugTierBefore: 'PREFERRED-BRAND', drugTierAfter: null });
    expect(byRxcui[RXCUI.crestrix]).toMatchObject({ changes: ['ADDED'], drugTierBefore: null, drugTierAfter: 'PREFERRED-BRAND' });
    expect(byRxcui[RXCUI.humbolimab]).toMatchObject({
      changes: ['RESTRICTIONS_CHANGED'],
      priorAuthorizationBefore: true,
      priorAuthorizationAfter: true,
      quantityLimitBefore: false,
      quantityLimitAfter: true,
    });
    // Zentorvix is on Gold in both versions, unchanged.
    expect(byRxcui[RXCUI.zentorvix]).toBeUndefined();
  });

  it('refuses versions of another issuer and a reversed range', async () => {
    const [{ id: otherIssuerVersion }] = await t.db.query(`SELECT id FROM dataset_version WHERE issuer_id = '66666' AND published_at IS NOT NULL LIMIT 1`);
    const foreign = await t.gql(NETWORK_CHANGES, { planId: PLAN.gold, sinceVersionId: Number(otherIssuerVersion) });
    expect(foreign.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0].message).toMatch(new RegExp(`Version ${otherIssuerVersion} is not a published version of issuer 66667`));

    const reversed = await t.gql(NETWORK_CHANGES, { planId: PLAN.gold, sinceVersionId: v2, untilVersionId: v1 });
    expect(reversed.errors?.[0].message).toMatch(/was published after version/);

    const onlyOne = await t.gql(FORMULARY_CHANGES, { planId: PLAN.silver });
    expect(onlyOne.errors?.[0].message).toMatch(/has no version published before/);
  });
});
