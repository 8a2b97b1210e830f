import { startTestApp, TestApp } from './helpers/test-app';

describe('input validation (GraphQL over HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('names the field and the problem for a malformed NPI', async () => {
    const res = await t.gql(`{ networkCoverage(npis: ["1234567890"], planIds: ["12345XX9876543"]) { status } }`);
    expect(res.status).toBe(200);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('npis[0]: NPI "1234567890" fails the NPI check digit (Luhn)');
  });

  it('rejects an NPI that is not 10 digits', async () => {
    const res = await t.gql(`{ provider(npi: "12345") { npi } }`);
    expect(res.errors?.[0].message).toContain('npi: NPI "12345" must be exactly 10 digits');
  });

  it('rejects a plan id that is not a 14-character HIOS id', async () => {
    const res = await t.gql(`{ plan(planId: "12345XX98765") { planId } }`);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('planId: plan id "12345XX98765" is not a 14-character HIOS plan id');
  });

  it('rejects a non-numeric RXCUI', async () => {
    const res = await t.gql(`{ drugCoverage(rxnormIds: ["abc"], planIds: ["12345XX9876543"]) { status } }`);
    expect(res.errors?.[0].message).toContain('rxnormIds[0]: RXCUI "abc" must be 1 to 10 digits');
  });

  it('caps the grid at 50 plans', async () => {
    const planIds = Array.from({ length: 51 }, (_, i) => `12345XX98${String(i).padStart(5, '0')}`);
    const res = await t.gql(`query($p: [String!]!) { networkCoverage(npis: ["1234567893"], planIds: $p) { status } }`, { p: planIds });
    expect(res.errors?.[0].message).toContain('planIds must contain no more than 50 elements');
  });

  it('answers UNKNOWN for a plan nobody has loaded', async () => {
    const res = await t.gql(`{ networkCoverage(npis: ["1234567893"], planIds: ["99999ZZ9999999"]) { npi planId status reason } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.networkCoverage).toEqual([{ npi: '1234567893', planId: '99999ZZ9999999', status: 'UNKNOWN', reason: 'PLAN_NOT_LOADED' }]);
  });
});
