import { createHash } from 'node:crypto';
import { copyIntArray, copyText } from './copy-text';
import { NetworkEntryRecord } from '../validate/qhp-records';

/**
 * A listing's plan list (its valid entries, one per plan and tier, in (plan, tier) order) is stored once
 * per version as a network set (migration 1700000003000); each listing points to its set by id.
 */

/** Set ids are 63-bit: non-negative as a PostgreSQL bigint. */
const SET_ID_MASK = (1n << 63n) - 1n;

/**
 * The text a set id is the hash of: one line per entry, `plan_id \t network_tier \t {years}`, in (plan,
 * tier) code-point order. Migration 1700000003000 builds the same text in SQL to convert loaded versions.
 */
export function networkSetText(entries: readonly NetworkEntryRecord[]): string {
  let text = '';
  for (const e of entries) text += `${e.planId}\t${e.networkTier}\t${copyIntArray(e.years)}\n`;
  return text;
}

/**
 * The id of a plan list: the first 63 bits of the MD5 of its text. Worker threads render batches of one
 * file independently; a hash gives every thread the same id for the same list without coordination, and
 * the same list the same id in the next version (a network keeps its id while its plans stay the same).
 * With at most millions of distinct lists in a version, two lists sharing an id has odds below 1e-6.
 */
export function networkSetId(text: string): string {
  const digest = createHash('md5').update(text, 'utf8').digest();
  return (digest.readBigUInt64BE(0) & SET_ID_MASK).toString();
}

/** Lists kept by their text (the lookups of the general path); a file with more distinct lists starts over. */
const MAX_REMEMBERED_SETS = 4096;
/** Set ids whose rows were written; past this, a set may be written again (the load removes repeats). */
const MAX_WRITTEN_SETS = 100_000;

/**
 * The network sets met by one load's renderers (the byte renderer and the general path of one thread
 * share one): each set's id, and its network_set rows written once. Other threads write the same set's
 * rows too; dedupeNetworkSets (store/version-partitions.ts) keeps one copy before the table is indexed.
 */
export class NetworkSets {
  private readonly version: string;
  private readonly ids = new Map<string, string>();
  private readonly written = new Set<string>();

  constructor(versionId: number) {
    this.version = `${versionId}\t`;
  }

  /**
   * The set id of `entries`, and the set's network_set rows (COPY text, one per entry; none for an empty
   * list) when they are still to be written (then counted as written), else null.
   */
  idOf(entries: readonly NetworkEntryRecord[]): { id: string; rows: string[] | null } {
    const text = networkSetText(entries);
    let id = this.ids.get(text);
    if (id === undefined) {
      id = networkSetId(text);
      if (this.ids.size >= MAX_REMEMBERED_SETS) this.ids.clear();
      this.ids.set(text, id);
    }
    if (this.written.has(id)) return { id, rows: null };
    if (this.written.size >= MAX_WRITTEN_SETS) this.written.clear();
    this.written.add(id);
    const key = `${this.version}${id}\t`;
    return { id, rows: entries.map((e) => `${key}${e.planId}\t${copyText(e.networkTier)}\t${copyIntArray(e.years)}\n`) };
  }
}
