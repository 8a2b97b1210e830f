/**
 * Codes of the validation report and of whole-load failures.
 *
 * Severity rule: a value needed to answer "is my doctor in network?" / "what does my drug cost?" or to
 * identify a record (NPI, type, names, plan id, tiers, years, address city/state/zip, RXCUI, cost-sharing
 * enumerations and amounts) rejects its record or plan entry. A descriptive value (accepting, gender,
 * last_updated_on, contact fields) that is malformed is dropped with a warning: the record still answers.
 */
export const Rejection = {
  NOT_AN_OBJECT: 'NOT_AN_OBJECT',
  MISSING_FIELD: 'MISSING_FIELD',
  INVALID_FIELD: 'INVALID_FIELD',
  /** A required text longer than its bound (qhp/vocabulary TEXT_LIMITS). */
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  /** A value nested deeper than MAX_NESTING_DEPTH: the whole record is rejected. */
  TOO_DEEPLY_NESTED: 'TOO_DEEPLY_NESTED',
  INVALID_NPI: 'INVALID_NPI',
  INVALID_TYPE: 'INVALID_TYPE',
  INVALID_PLAN_ID: 'INVALID_PLAN_ID',
  WRONG_ISSUER: 'WRONG_ISSUER',
  UNKNOWN_PLAN: 'UNKNOWN_PLAN',
  UNKNOWN_NETWORK_TIER: 'UNKNOWN_NETWORK_TIER',
  UNKNOWN_DRUG_TIER: 'UNKNOWN_DRUG_TIER',
  INVALID_YEARS: 'INVALID_YEARS',
  INVALID_STATE: 'INVALID_STATE',
  INVALID_ZIP: 'INVALID_ZIP',
  INVALID_ENUM: 'INVALID_ENUM',
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  INVALID_RATE: 'INVALID_RATE',
  INVALID_BOOLEAN: 'INVALID_BOOLEAN',
  INVALID_RXCUI: 'INVALID_RXCUI',
  DUPLICATE_PLAN: 'DUPLICATE_PLAN',
  DUPLICATE_DRUG_TIER: 'DUPLICATE_DRUG_TIER',
  DUPLICATE_COST_SHARING: 'DUPLICATE_COST_SHARING',
  DUPLICATE_FORMULARY_ENTRY: 'DUPLICATE_FORMULARY_ENTRY',
  TOO_MANY_ADDRESSES: 'TOO_MANY_ADDRESSES',
  /** Every address of a provider was rejected. */
  NO_VALID_ADDRESSES: 'NO_VALID_ADDRESSES',
  /** Every plan entry of a provider or drug was rejected (each one is reported on its own too). */
  NO_VALID_PLAN_ENTRIES: 'NO_VALID_PLAN_ENTRIES',
} as const;

export const Warning = {
  MISSING_NPI: 'MISSING_NPI',
  ZIP_PLUS_FOUR: 'ZIP_PLUS_FOUR',
  INVALID_DATE: 'INVALID_DATE',
  INVALID_ENUM: 'INVALID_ENUM',
  INVALID_FIELD: 'INVALID_FIELD',
  /** A descriptive text longer than its bound, dropped. */
  TEXT_TOO_LONG: 'TEXT_TOO_LONG',
  /** A provider whose plans array is empty: loaded as a listing in no plan. */
  NO_PLANS: 'NO_PLANS',
  /** A provider record repeating an earlier one of its NPI exactly: left out. */
  DUPLICATE_PROVIDER: 'DUPLICATE_PROVIDER',
  /** An NPI listed again with different data: both listings kept. */
  DUPLICATE_NPI: 'DUPLICATE_NPI',
  DUPLICATE_RXCUI: 'DUPLICATE_RXCUI',
  UNKNOWN_CSV_COLUMN: 'UNKNOWN_CSV_COLUMN',
} as const;

/** ImportError codes: the load as a whole is refused. */
export const LoadFailure = {
  INVALID_ISSUER_ID: 'INVALID_ISSUER_ID',
  WRONG_ISSUER: 'WRONG_ISSUER',
  NO_FILES: 'NO_FILES',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  UNKNOWN_FILE_KIND: 'UNKNOWN_FILE_KIND',
  INVALID_INDEX: 'INVALID_INDEX',
  MISSING_PLANS: 'MISSING_PLANS',
  EMPTY_PLANS: 'EMPTY_PLANS',
  NO_VALID_PLANS: 'NO_VALID_PLANS',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  NOT_JSON: 'NOT_JSON',
  /** A UTF-16 file: QHP files are read as UTF-8. */
  UNSUPPORTED_ENCODING: 'UNSUPPORTED_ENCODING',
  /** A gzip file whose data is corrupt or cut short. */
  INVALID_GZIP: 'INVALID_GZIP',
  NOT_AN_ARRAY: 'NOT_AN_ARRAY',
  TRUNCATED_JSON: 'TRUNCATED_JSON',
  INVALID_JSON: 'INVALID_JSON',
  RECORD_TOO_LARGE: 'RECORD_TOO_LARGE',
  INVALID_CSV: 'INVALID_CSV',
  COPY_FAILED: 'COPY_FAILED',
  POOL_TOO_SMALL: 'POOL_TOO_SMALL',
  ABANDONED: 'ABANDONED',
  ABORTED: 'ABORTED',
  /** Anything else (database unreachable, ...): the message says what. */
  LOAD_FAILED: 'LOAD_FAILED',
} as const;
