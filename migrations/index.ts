import { InitialSchema1700000000000 } from './1700000000000-InitialSchema';

/** Every migration, in order. Listed explicitly so ts-node, jest and compiled builds load the same set. */
export const MIGRATIONS = [InitialSchema1700000000000];
