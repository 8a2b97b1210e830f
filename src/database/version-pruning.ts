/**
 * Dataset versions as query parameters, for lookups in the version-partitioned tables: `in(column)` gives
 * `<column> IN ($n::bigint, ...)` over them (several columns of one statement can share the parameters).
 * Written as a list of parameters, not `= ANY($n)`: PostgreSQL prunes partitions with a list when it
 * starts a generic plan (only those versions' partitions are opened and probed), but not with an array
 * parameter. Without it a lookup probes one index per partition: every kept version of every issuer.
 * The list is padded to a power of two (repeating its last id), so few statement texts get prepared.
 */
export function versionParameters(versionIds: readonly number[], firstParam: number): { params: number[]; in(column: string): string } {
  // No version: 0, which no dataset version has (ids start at 1), so the lookup finds nothing.
  const ids = versionIds.length ? [...new Set(versionIds)] : [0];
  let size = 1;
  while (size < ids.length) size *= 2;
  const params = [...ids, ...Array<number>(size - ids.length).fill(ids[ids.length - 1])];
  const list = params.map((_, i) => `$${firstParam + i}::bigint`).join(', ');
  return { params, in: (column) => `${column} IN (${list})` };
}
