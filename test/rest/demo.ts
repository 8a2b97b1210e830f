/** Demo-data facts the REST tests use (seeds/fixtures.ts documents them; test/core-questions.e2e-spec.ts asserts them over GraphQL). */
export const NPI = {
  johnSmith: '1483666727',
  priyaRaman: '1023265162',
  riversideHospital: '2233825258',
  elenaVasquez: '1226565079',
  anaMorales: '1965894474',
  /** Valid check digit, in no directory. */
  unlisted: '1234567893',
} as const;

export const PLAN = {
  bronze: '10001OH0010001',
  expandedBronze: '10001OH0010002',
  silver: '10001OH0010003',
  gold: '10001OH0020001',
  platinum: '10001OH0020002',
  loneStarBronze: '10002TX0010001',
  /** No issuer publishes it. */
  unloaded: '99999OH0010001',
} as const;

export const RXCUI = {
  atorvastatin20: '617310',
  lipitor20: '617318',
  eliquis5: '1364447',
  humira: '1872980',
  /** In the crosswalk, on no formulary. */
  phentermine: '803353',
} as const;
