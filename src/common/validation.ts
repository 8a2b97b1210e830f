import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadata } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { GraphQLError } from 'graphql';

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

interface ConstraintInstance {
  validate(value: unknown, args: ValidationArguments): unknown;
}

/** One property's rules, as class-validator holds them: conditions (IsOptional) and constraints. */
interface PropertyRules {
  property: string;
  conditions: Array<(object: object, value: unknown) => boolean>;
  constraints: Array<{ metadata: ValidationMetadata; instances: ConstraintInstance[] }>;
}

// class-transformer's decorators (Type, Transform, Expose, Exclude) are kept in a store its index does not export.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const transformerMetadata = (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadata }).defaultMetadataStorage;

/** Whether class-transformer copies the class's properties as they are (no decorator of its own on the class). */
function copiedAsIs(metatype: new () => object, properties: Iterable<string>): boolean {
  if (transformerMetadata.getStrategy(metatype) !== 'none' || transformerMetadata.getExposedMetadatas(metatype).length) return false;
  if (transformerMetadata.getExcludedMetadatas(metatype).length) return false;
  for (const property of properties) {
    if (transformerMetadata.findTypeMetadata(metatype, property)) return false;
    if (transformerMetadata.findTransformMetadatas(metatype, property, TransformationType.PLAIN_TO_CLASS).length) return false;
  }
  return true;
}

const isPrimitive = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');

/**
 * The rules of an arguments class, read once from class-validator's metadata, when every one of them is a
 * plain synchronous constraint (class-validator's own decorators and registerDecorator ones) or IsOptional;
 * null when anything else is declared (nested or async validation, groups...), which only the full
 * ValidationPipe handles.
 */
function compileRules(metatype: new () => object): PropertyRules[] | null {
  const storage = getMetadataStorage();
  // As ValidationExecutor asks for them with this pipe's options (no groups, not `always`).
  const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false, undefined);
  if (metadatas.length === 0) return null;
  const byProperty = new Map<string, PropertyRules>();
  for (const metadata of metadatas) {
    if (metadata.groups?.length || metadata.always) return null;
    // A getter or method of that name is skipped by class-transformer's copy: not a plain argument.
    if (metadata.propertyName in metatype.prototype) return null;
    let rules = byProperty.get(metadata.propertyName);
    if (!rules) byProperty.set(metadata.propertyName, (rules = { property: metadata.propertyName, conditions: [], constraints: [] }));
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      rules.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
    } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION && !metadata.validateIf && metadata.constraintCls) {
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.length === 0 || constraints.some((c) => c.async)) return null;
      rules.constraints.push({ metadata, instances: constraints.map((c) => c.instance as ConstraintInstance) });
    } else {
      return null;
    }
  }
  return copiedAsIs(metatype, byProperty.keys()) ? [...byProperty.values()] : null;
}

/** Whether `rules` accept `object` (no exception, no promise: a promise counts as "not known to pass"). */
function passes(rules: PropertyRules[], object: Record<string, unknown>, targetName: string): boolean {
  for (const { property, conditions, constraints } of rules) {
    const value = object[property];
    if (!conditions.every((condition) => condition(object, value))) continue;
    for (const { metadata, instances } of constraints) {
      const args: ValidationArguments = { targetName, property, object, value, constraints: metadata.constraints };
      for (const instance of instances) {
        const values = metadata.each && Array.isArray(value) ? value : [value];
        for (const v of values) {
          const valid = instance.validate(v, args);
          if (valid !== true && (!valid || typeof (valid as Promise<unknown>).then === 'function')) return false;
        }
      }
    }
  }
  return true;
}

/**
 * Nest's ValidationPipe (class-transformer copy, then class-validator), with a shortcut for the common case
 * of GraphQL arguments that are strings, numbers and lists of them (the shopper lookups): the class's
 * constraints, read once, are called directly on a copy of the arguments. What they accept, class-validator
 * would accept (the same constraint functions, in its order of conditions); anything they refuse, and any
 * argument of another shape, goes through the full pipe, so errors are exactly its own.
 */
export class ArgumentsValidationPipe extends ValidationPipe {
  private readonly compiled = new Map<unknown, PropertyRules[] | null>();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype as (new () => object) | undefined;
    if (metatype && value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && this.toValidate(metadata)) {
      let rules = this.compiled.get(metatype);
      if (rules === undefined) this.compiled.set(metatype, (rules = compileRules(metatype)));
      const entity = rules && plainCopy(metatype, value as Record<string, unknown>, rules);
      if (entity && passes(rules!, entity, metatype.name)) return entity;
    }
    return super.transform(value, metadata);
  }
}

/**
 * class-transformer's plainToInstance for arguments made of primitives and lists of primitives, when each is
 * a validated property: a new instance with the values (lists copied). Null for any other shape.
 */
function plainCopy(metatype: new () => object, value: Record<string, unknown>, rules: PropertyRules[]): Record<string, unknown> | null {
  const entity = new metatype() as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (!rules.some((r) => r.property === key)) return null;
    const item = value[key];
    if (Array.isArray(item)) {
      const copy = new Array<unknown>(item.length);
      for (let i = 0; i < item.length; i++) {
        if (!(i in item) || !isPrimitive(item[i]) || item[i] === undefined) return null;
        copy[i] = item[i];
      }
      entity[key] = copy;
    } else if (isPrimitive(item)) {
      entity[key] = item;
    } else {
      return null;
    }
  }
  return entity;
}

/** Invalid arguments become one GraphQL error naming each field, with code BAD_USER_INPUT (never a 500). */
export function createValidationPipe(): ValidationPipe {
  return new ArgumentsValidationPipe({
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      return new GraphQLError(`Invalid input: ${problems.map((p) => p.message).join('; ')}`, {
        extensions: { code: 'BAD_USER_INPUT', fields: problems },
      });
    },
  });
}
