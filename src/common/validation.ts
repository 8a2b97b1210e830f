import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { GraphQLError } from 'graphql';

let metadataRemembered = false;

/**
 * class-validator looks up a class's constraints on every validation by filtering its whole store (every
 * decorated class of the API, with an `instanceof` test each for inheritance) and grouping them by
 * property. They are declared once, when the classes load: the lookups are remembered per class and
 * options, and forgotten whenever a constraint is added (PickType and friends copy them at start-up).
 */
export function rememberValidationMetadata(): void {
  if (metadataRemembered) return;
  metadataRemembered = true;
  const storage = getMetadataStorage();
  type Lookup = typeof storage.getTargetValidationMetadatas;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addMetadata = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  storage.addValidationMetadata = (metadata: ValidationMetadata) => {
    byTarget = new Map();
    groupings = new WeakMap();
    addMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema ?? ''}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let known = byTarget.get(target);
    if (!known) byTarget.set(target, (known = new Map()));
    let metadatas = known.get(key);
    if (!metadatas) known.set(key, (metadatas = lookup(target, schema, always, strictGroups, groups)));
    return metadatas;
  };
  storage.groupByPropertyName = (metadatas: ValidationMetadata[]) => {
    let grouped = groupings.get(metadatas);
    if (!grouped) groupings.set(metadatas, (grouped = group(metadatas)));
    return grouped;
  };
}

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Invalid arguments become one GraphQL error naming each field, with code BAD_USER_INPUT (never a 500). */
export function createValidationPipe(): ValidationPipe {
  rememberValidationMetadata();
  return new ValidationPipe({
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
