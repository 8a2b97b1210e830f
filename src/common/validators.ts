import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { npiProblem, planIdProblem, rxcuiProblem, ISSUER_ID_PATTERN, STATE_PATTERN } from './identifiers';

type ProblemFinder = (value: unknown) => string | null;

/** A class-validator decorator from a "what is wrong with this value" function; checks each element of arrays. */
function fromProblemFinder(name: string, findProblem: ProblemFinder) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => (Array.isArray(value) ? value.every((v) => findProblem(v) === null) : findProblem(value) === null),
        defaultMessage: (args: ValidationArguments) => {
          const values = Array.isArray(args.value) ? args.value : [args.value];
          const index = values.findIndex((v) => findProblem(v) !== null);
          const where = Array.isArray(args.value) ? `${args.property}[${index}]` : args.property;
          return `${where}: ${findProblem(values[index])}`;
        },
      },
    });
  };
}

export const IsNpi = fromProblemFinder('isNpi', npiProblem);
export const IsPlanId = fromProblemFinder('isPlanId', planIdProblem);
export const IsRxcui = fromProblemFinder('isRxcui', rxcuiProblem);
export const IsIssuerId = fromProblemFinder('isIssuerId', (v) =>
  typeof v === 'string' && ISSUER_ID_PATTERN.test(v) ? null : `issuer id "${String(v)}" must be 5 digits`,
);
export const IsStateCode = fromProblemFinder('isStateCode', (v) =>
  typeof v === 'string' && STATE_PATTERN.test(v) ? null : `state "${String(v)}" must be a 2-letter code such as OH`,
);
