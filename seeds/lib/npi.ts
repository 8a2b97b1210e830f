/**
 * National Provider Identifier helpers.
 *
 * An NPI is 9 digits plus a Luhn check digit computed over the prefix "80840" (the ISO card
 * issuer prefix CMS assigned to NPIs) followed by those 9 digits. Individual providers start
 * with 1, organizations with 2. Example: 1234567893 is valid.
 */

import { isValidNpi as isValidApiNpi, npiCheckDigit } from '../../src/common/identifiers';
import { hashInts } from './prng';

/** Luhn check digit for the first 9 digits of an NPI (the API's own rule, so seeds and validation agree). */
export function luhnNpiCheckDigit(first9: string): number {
  if (!/^\d{9}$/.test(first9)) throw new Error(`NPI body must be 9 digits, got "${first9}"`);
  return npiCheckDigit(first9);
}

export function makeNpi(n: number): string {
  if (!Number.isInteger(n) || n < 100_000_000 || n > 299_999_999) {
    throw new Error(`NPI body must be an integer in 100000000..299999999, got ${n}`);
  }
  const first9 = String(n);
  return first9 + String(luhnNpiCheckDigit(first9));
}

/** A valid demo NPI: 10 digits, first digit 1 (individual) or 2 (organization), valid check digit. */
export function isValidNpi(npi: string): boolean {
  return /^[12]/.test(npi) && isValidApiNpi(npi);
}

const NPI_SPACE = 100_000_000;
const HALF = 10_000;
const FEISTEL_ROUNDS = 4;

/**
 * Maps a dense index (0..99,999,999) to a random-looking but unique 8-digit number, so that
 * sequential demo providers do not get sequential NPIs. A Feistel network over two 4-digit halves
 * is a bijection whatever its round function, hence distinct indexes never share an NPI.
 */
function scramble(index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= NPI_SPACE) throw new Error(`NPI index out of range: ${index}`);
  let left = Math.floor(index / HALF);
  let right = index % HALF;
  for (let round = 0; round < FEISTEL_ROUNDS; round++) {
    const next = (left + (hashInts(right, round, 0x4e5049) % HALF)) % HALF;
    left = right;
    right = next;
  }
  return left * HALF + right;
}

/** NPI of the individual (type 1) provider with this dense index; distinct indexes never collide. */
export function individualNpi(index: number): string {
  return makeNpi(100_000_000 + scramble(index));
}

/** NPI of the organization (type 2) provider with this dense index. */
export function organizationNpi(index: number): string {
  return makeNpi(200_000_000 + scramble(index));
}
