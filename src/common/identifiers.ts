/**
 * Identifier formats of the QHP files, shared by input validation (GraphQL) and file validation (ingest).
 */

export const PLAN_ID_PATTERN = /^[0-9]{5}[A-Z]{2}[0-9]{7}$/;
export const ISSUER_ID_PATTERN = /^[0-9]{5}$/;
export const RXCUI_PATTERN = /^[0-9]{1,10}$/;
export const NPI_PATTERN = /^[0-9]{10}$/;
export const STATE_PATTERN = /^[A-Z]{2}$/;
export const ZIP_PATTERN = /^[0-9]{5}$/;

/**
 * NPI check digit: Luhn over the 9-digit identifier prefixed with the health industry number 80840
 * (whose digits contribute a constant 24 to the sum).
 */
export function npiCheckDigit(first9: string): number {
  let sum = 24;
  for (let i = 0; i < 9; i++) {
    let digit = first9.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** A valid NPI from its first 9 digits (a number below 1,000,000,000 or a 9-digit string). */
export function withNpiCheckDigit(first9: number | string): string {
  const body = String(first9).padStart(9, '0');
  if (!/^[0-9]{9}$/.test(body)) throw new Error(`NPI body must be 9 digits, got "${first9}"`);
  return body + String(npiCheckDigit(body));
}

export function isValidNpi(npi: string): boolean {
  return NPI_PATTERN.test(npi) && npiCheckDigit(npi) === npi.charCodeAt(9) - 48;
}

/** Why an NPI is rejected, or null when it is valid. */
export function npiProblem(npi: unknown): string | null {
  if (typeof npi !== 'string') return 'NPI must be a string of 10 digits';
  if (!NPI_PATTERN.test(npi)) return `NPI "${npi}" must be exactly 10 digits`;
  if (!isValidNpi(npi)) return `NPI "${npi}" fails the NPI check digit (Luhn)`;
  return null;
}

/** Why a HIOS plan id is rejected, or null when it is valid. */
export function planIdProblem(planId: unknown): string | null {
  if (typeof planId !== 'string') return 'plan id must be a string';
  if (!PLAN_ID_PATTERN.test(planId)) {
    return `plan id "${planId}" is not a 14-character HIOS plan id (5-digit issuer, 2-letter state, 7 digits, e.g. 12345OH0010001)`;
  }
  return null;
}

export function rxcuiProblem(rxcui: unknown): string | null {
  if (typeof rxcui !== 'string') return 'RXCUI must be a string of digits';
  if (!RXCUI_PATTERN.test(rxcui)) return `RXCUI "${rxcui}" must be 1 to 10 digits (an RxNorm concept id)`;
  return null;
}

export function issuerIdOfPlan(planId: string): string {
  return planId.slice(0, 5);
}

export function stateOfPlan(planId: string): string {
  return planId.slice(5, 7);
}
