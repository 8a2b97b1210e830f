import { registerEnumType } from '@nestjs/graphql';

/**
 * The three outcomes a shopper must be able to tell apart, shared by networkCoverage and drugCoverage.
 * `status`/`reason` stay as they were; `outcome` says plainly what they mean.
 */
export enum AnswerOutcome {
  /** The issuer's published data for this plan and year lists the provider / drug. */
  COVERED = 'COVERED',
  /** The issuer's data for this plan and year is loaded and omits the provider / drug. */
  NOT_COVERED = 'NOT_COVERED',
  /** No data is loaded for this plan and year: we cannot say either way. */
  NOT_REPORTED = 'NOT_REPORTED',
}

registerEnumType(AnswerOutcome, {
  name: 'AnswerOutcome',
  description:
    'COVERED: the published data lists it. NOT_COVERED: the issuer published data for this plan and year and it omits ' +
    'the provider or drug (OUT_OF_NETWORK, NOT_COVERED, or PROVIDER_NOT_FOUND on a loaded plan). NOT_REPORTED: nothing ' +
    'is loaded for this plan and year (PLAN_NOT_LOADED, YEAR_NOT_REPORTED, NETWORK_NOT_REPORTED, FORMULARY_NOT_REPORTED).',
  valuesMap: {
    COVERED: { description: "Listed in the issuer's published data for this plan and year" },
    NOT_COVERED: { description: "The issuer's loaded data for this plan and year omits it" },
    NOT_REPORTED: { description: 'No data loaded for this plan and year: unknown, not "no"' },
  },
});
