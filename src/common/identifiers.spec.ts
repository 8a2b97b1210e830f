import { isValidNpi, npiCheckDigit, npiProblem, withNpiCheckDigit } from './identifiers';

describe('NPI check digit (Luhn over 80840 + the first 9 digits)', () => {
  it.each([
    // CMS's worked example (1234567893), an NPI of the demo data (1483666727), the extremes.
    ['123456789', 3],
    ['148366672', 7],
    ['000000000', 6],
    ['999999999', 5],
  ])('%s → %i', (first9, digit) => {
    expect(npiCheckDigit(first9)).toBe(digit);
  });

  it('agrees with a plain Luhn over the 15 digits 80840 + NPI', () => {
    const luhnValid = (digits: string) =>
      [...digits].reverse().reduce((sum, char, i) => {
        const d = Number(char) * (i % 2 === 1 ? 2 : 1);
        return sum + (d > 9 ? d - 9 : d);
      }, 0) %
        10 ===
      0;
    for (let body = 0; body < 1_000_000_000; body += 7_654_321) {
      const npi = withNpiCheckDigit(body);
      expect(luhnValid(`80840${npi}`)).toBe(true);
      expect(isValidNpi(npi)).toBe(true);
    }
  });

  it('withNpiCheckDigit pads a number to 9 digits and refuses anything else', () => {
    expect(withNpiCheckDigit(12)).toBe(`000000012${npiCheckDigit('000000012')}`);
    expect(withNpiCheckDigit('123456789')).toBe('1234567893');
    expect(() => withNpiCheckDigit('12345678a')).toThrow('NPI body must be 9 digits, got "12345678a"');
    expect(() => withNpiCheckDigit(1_000_000_000)).toThrow('NPI body must be 9 digits');
  });

  it('isValidNpi wants 10 digits whose last is the check digit', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678930')).toBe(false);
    expect(isValidNpi('123456789O')).toBe(false);
  });

  it('npiProblem says why an NPI is refused', () => {
    expect(npiProblem('1234567893')).toBeNull();
    expect(npiProblem(1234567893)).toBe('NPI must be a string of 10 digits');
    expect(npiProblem('12345')).toBe('NPI "12345" must be exactly 10 digits');
    expect(npiProblem('1234567890')).toBe('NPI "1234567890" fails the NPI check digit (Luhn)');
  });
});
