import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DrugCoverageArgs } from '../formulary/formulary.args';
import { NetworkProvidersArgs } from '../networks/networks.args';
import { NetworkCoverageArgs } from '../providers/providers.args';
import { ArgumentsValidationPipe, createValidationPipe } from './validation';

const NPI = '1234567893';
const PLAN = '12345XX9876543';

/** What a pipe makes of a value: the instance it hands the resolver, or the error it throws. */
async function outcome(pipe: ValidationPipe, value: unknown, metatype: ArgumentMetadata['metatype']) {
  try {
    const entity = await pipe.transform(structuredClone(value), { type: 'body', metatype });
    return { instanceOf: entity instanceof (metatype as new () => object), entity: { ...(entity as object) } };
  } catch (error) {
    return { error: error instanceof GraphQLError ? { message: error.message, extensions: error.extensions } : String(error) };
  }
}

describe('ArgumentsValidationPipe', () => {
  const pipe = createValidationPipe();
  // The same settings on Nest's pipe alone: the reference.
  const reference = Object.assign(Object.create(ValidationPipe.prototype) as ValidationPipe, pipe);
  afterEach(() => jest.restoreAllMocks());

  const cases: Array<[string, ArgumentMetadata['metatype'], unknown]> = [
    ['a valid network check', NetworkCoverageArgs, { npis: [NPI], planIds: [PLAN, '12345XX9876544'] }],
    ['a valid network check with a year', NetworkCoverageArgs, { npis: [NPI], planIds: [PLAN], year: 2026 }],
    ['a network check with a null year', NetworkCoverageArgs, { npis: [NPI], planIds: [PLAN], year: null }],
    ['a bad NPI check digit', NetworkCoverageArgs, { npis: ['1234567890'], planIds: [PLAN] }],
    ['no NPI', NetworkCoverageArgs, { npis: [], planIds: [PLAN] }],
    ['51 plans', NetworkCoverageArgs, { npis: [NPI], planIds: Array.from({ length: 51 }, () => PLAN) }],
    ['a year out of range', NetworkCoverageArgs, { npis: [NPI], planIds: [PLAN], year: 1999 }],
    ['a short plan id', NetworkCoverageArgs, { npis: [NPI], planIds: ['12345XX98765'] }],
    ['a valid drug check', DrugCoverageArgs, { rxnormIds: ['860975', '197361'], planIds: [PLAN] }],
    ['a non-numeric RXCUI', DrugCoverageArgs, { rxnormIds: ['abc'], planIds: [PLAN] }],
    ['a fractional year', DrugCoverageArgs, { rxnormIds: ['860975'], planIds: [PLAN], year: 2026.5 }],
    ['a nested filter (full pipe)', NetworkProvidersArgs, { first: 5, filter: { zip: '43215', radiusMiles: 10 } }],
    ['a bad nested filter (full pipe)', NetworkProvidersArgs, { first: 5, filter: { zip: 'abc' } }],
  ];

  it.each(cases)('answers %s as Nest’s ValidationPipe does', async (_name, metatype, value) => {
    expect(await outcome(pipe, value, metatype)).toEqual(await outcome(reference, value, metatype));
  });

  it('checks the shopper lookups without class-transformer and class-validator’s full run', async () => {
    const full = jest.spyOn(ValidationPipe.prototype, 'transform');
    const network = await pipe.transform({ npis: [NPI], planIds: [PLAN] }, { type: 'body', metatype: NetworkCoverageArgs });
    const drug = await pipe.transform({ rxnormIds: ['860975'], planIds: [PLAN], year: 2026 }, { type: 'body', metatype: DrugCoverageArgs });
    expect(network).toBeInstanceOf(NetworkCoverageArgs);
    expect(drug).toBeInstanceOf(DrugCoverageArgs);
    expect(full).not.toHaveBeenCalled();
    // A refused value goes through the full pipe, which words the error.
    await expect(pipe.transform({ npis: ['1234567890'], planIds: [PLAN] }, { type: 'body', metatype: NetworkCoverageArgs })).rejects.toThrow(
      'npis[0]: NPI "1234567890" fails the NPI check digit (Luhn)',
    );
    expect(full).toHaveBeenCalledTimes(1);
  });

  it('copies lists, so the resolver never holds the caller’s array', async () => {
    const npis = [NPI];
    const args = (await pipe.transform({ npis, planIds: [PLAN] }, { type: 'body', metatype: NetworkCoverageArgs })) as NetworkCoverageArgs;
    expect(args.npis).toEqual(npis);
    expect(args.npis).not.toBe(npis);
  });

  it('is the pipe createValidationPipe makes', () => {
    expect(pipe).toBeInstanceOf(ArgumentsValidationPipe);
  });
});
