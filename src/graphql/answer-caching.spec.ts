import { OperationDefinitionNode, parse } from 'graphql';
import { networkId } from '../networks/networks.service';
import { graphqlAnswerScope, restAnswerScope } from './answer-caching';

const NPI = '1483666727';

function scopeOf(query: string, variables?: Record<string, unknown>) {
  return graphqlAnswerScope(parse(query).definitions[0] as OperationDefinitionNode, variables);
}

describe('the published versions an answer reads', () => {
  it('names the issuers of the plans, the NPIs and the RXCUIs of the two questions', () => {
    expect(scopeOf(`{ networkCoverage(npis: ["${NPI}"], planIds: ["10001OH0010001", "20002TX0010001"]) { status } }`)).toEqual({
      issuers: ['10001', '20002'],
      npis: [NPI],
      rxcuis: [],
    });
    expect(
      scopeOf(`query D($r: [String!]!, $p: [String!]!) { drugCoverage(rxnormIds: $r, planIds: $p) { status } }`, { r: ['617310'], p: ['10001OH0010001'] }),
    ).toEqual({ issuers: ['10001'], npis: [], rxcuis: ['617310'] });
  });

  it('takes the defaults an operation declares for variables not given', () => {
    expect(scopeOf(`query P($id: String = "30003FL0010001") { plan(planId: $id) { planId } }`)).toEqual({ issuers: ['30003'], npis: [], rxcuis: [] });
  });

  it('reads the issuer of issuer ids and network ids; the union over root fields', () => {
    expect(
      scopeOf(
        `{ issuer(issuerId: "10001") { name } n: network(id: "${networkId('20002TX0010001', 'PREFERRED')}") { id } plans(issuerId: "30003") { edges { cursor } } }`,
      ),
    ).toEqual({ issuers: ['10001', '20002', '30003'], npis: [], rxcuis: [] });
    expect(scopeOf(`{ provider(npi: "${NPI}") { npi } drug(rxnormId: "617310") { drugName } }`)).toEqual({ issuers: [], npis: [NPI], rxcuis: ['617310'] });
  });

  it('reads every issuer for searches, research, comparisons by state, unknown fields and ids it cannot read', () => {
    expect(scopeOf(`{ searchDrugs(query: "ator") { edges { cursor } } }`)).toBe('all');
    expect(scopeOf(`{ plans(state: "OH") { edges { cursor } } }`)).toBe('all');
    expect(scopeOf(`{ comparePlans(state: "OH", year: 2026) { plans { planId } } }`)).toBe('all');
    expect(scopeOf(`{ plan(planId: "10001OH0010001") { planId } searchDrugs(query: "ator") { edges { cursor } } }`)).toBe('all');
    expect(scopeOf(`{ plan(planId: "ABCDEOH0010001") { planId } }`)).toBe('all');
    expect(scopeOf(`query P($id: String!) { plan(planId: $id) { planId } }`)).toBe('all');
    expect(scopeOf(`{ drug(rxnormId: "0617310") { drugName } }`)).toBe('all');
  });

  it('reads the REST routes the same way', () => {
    expect(restAnswerScope('providers/covered', { providerids: `${NPI}`, planids: '10001OH0010001,20002TX0010001' })).toEqual({
      issuers: ['10001', '20002'],
      npis: [NPI],
      rxcuis: [],
    });
    expect(restAnswerScope('drugs/covered', { drugs: ['617310', '617318'], planids: '10001OH0010001' })).toEqual({
      issuers: ['10001'],
      npis: [],
      rxcuis: ['617310', '617318'],
    });
    expect(restAnswerScope('plans/10001OH0010001', { year: '2026' })).toEqual({ issuers: ['10001'], npis: [], rxcuis: [] });
    expect(restAnswerScope(`providers/${NPI}`, {})).toEqual({ issuers: [], npis: [NPI], rxcuis: [] });
    expect(restAnswerScope('drugs/617318', {})).toEqual({ issuers: [], npis: [], rxcuis: ['617318'] });
    expect(restAnswerScope('drugs/search', { q: 'ator' })).toBe('all');
    expect(restAnswerScope('providers/autocomplete', { q: 'smith', zipcode: '43215' })).toBe('all');
    expect(restAnswerScope('coverage/stats', {})).toBe('all');
    expect(restAnswerScope('plans/%E0%A4%A', {})).toBe('all');
  });
});
