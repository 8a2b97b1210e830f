import { ACCEPTING_WORDS, GENDERS, oneOf, PROVIDER_TYPES, restrictionWords } from './vocabulary';

describe('QHP vocabulary', () => {
  it('lists the words a field takes as "A, B or C"', () => {
    expect(oneOf(PROVIDER_TYPES)).toBe('INDIVIDUAL, FACILITY or GROUP');
    expect(oneOf(ACCEPTING_WORDS)).toBe('accepting, not accepting or accepting in some locations');
    expect(oneOf(GENDERS)).toBe('Male, Female or Other');
    expect(oneOf(['only'])).toBe('only');
  });

  it('names the restrictions of a formulary entry in a fixed order', () => {
    expect(restrictionWords({ priorAuthorization: true, stepTherapy: true, quantityLimit: true })).toEqual([
      'prior authorization',
      'step therapy',
      'a quantity limit',
    ]);
    expect(restrictionWords({ priorAuthorization: false, stepTherapy: false, quantityLimit: true })).toEqual(['a quantity limit']);
    expect(restrictionWords({ priorAuthorization: false, stepTherapy: false, quantityLimit: false })).toEqual([]);
  });
});
