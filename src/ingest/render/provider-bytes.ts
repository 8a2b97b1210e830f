import { npiCheckDigit } from '../../common/identifiers';
import { ACCEPTING_WORDS, GENDERS, MAX_PLAN_YEAR, MIN_PLAN_YEAR, PROVIDER_TYPES, ProviderType, TEXT_LIMITS } from '../../qhp/vocabulary';
import { copyText } from './copy-text';
import { NetworkSets } from './network-sets';
import { CatalogPlan, NetworkEntryRecord, PlanCatalog } from '../validate/qhp-records';
import { IssueSink } from '../validate/validation-report';
import { ZipGeocoder } from '../validate/zip-geocoder';

/**
 * Provider records rendered as COPY rows straight from their JSON bytes, without JSON.parse and the
 * objects and strings it makes (on 1M providers, JSON.parse, the validation walk over its objects, the
 * UTF-8 encoding of the rows and the garbage they leave took most of a parse worker's CPU).
 *
 * Only records in the shape carriers nearly always publish are taken: every string plain ASCII without
 * escapes or padding, every value already canonical (exact enumeration spellings, 5-digit ZIPs, ISO
 * dates, increasing integer years), every plan entry valid, no key twice. Such a record has nothing
 * to report: its rows, in the provider tables' column order (qhp/version-tables.ts), are what
 * validateProvider + RowRenderer.writeProvider would write, byte for byte (test/ingest/provider-bytes.e2e-spec.ts
 * and provider-bytes.spec.ts check this against them). Any other record, including one
 * that is not valid JSON, is declined (`render` returns false, nothing written) and takes the general
 * path, which parses, normalizes, reports and fails exactly as before.
 */

/** A destination for COPY rows written in place as bytes. */
export interface ByteRowSink {
  /** The buffer to write into, with room for `bytes` more from `byteLength`. */
  reserve(bytes: number): Uint8Array;
  readonly byteLength: number;
  /** The rows written up to `byteLength` are complete. */
  commit(byteLength: number, rows: number): void;
}

/** Thrown (never escapes `render`) when the record is not in the shape taken here. */
const DECLINED = { declined: true };

const enum Byte {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Minus = 0x2d,
  Plus = 0x2b,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperA = 0x41,
  UpperE = 0x45,
  UpperZ = 0x5a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerA = 0x61,
  LowerE = 0x65,
  LowerZ = 0x7a,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const enum StringByte {
  Plain,
  Quote,
  Backslash,
  NonAscii,
  Control,
}
/** What each byte is inside a JSON string. */
const STRING_BYTES = Uint8Array.from({ length: 256 }, (_, b) =>
  b === Byte.Quote
    ? StringByte.Quote
    : b === Byte.Backslash
      ? StringByte.Backslash
      : b >= 0x80
        ? StringByte.NonAscii
        : b < Byte.Space
          ? StringByte.Control
          : StringByte.Plain,
);

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Keys of one kind of object, matched on their bytes; a key's id is its position. */
class Keys {
  private readonly keys: Uint8Array[];
  constructor(names: readonly string[]) {
    this.keys = names.map(ascii);
  }
  /** The id of the key at src[start, end), -1 for any other key. */
  find(src: Uint8Array, start: number, end: number): number {
    const length = end - start;
    for (let id = 0; id < this.keys.length; id++) {
      const key = this.keys[id];
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && key[i] === src[start + i]) i++;
      if (i === length) return id;
    }
    return -1;
  }
}

const enum Field {
  Npi,
  Type,
  Name,
  FacilityName,
  Speciality,
  Specialty,
  FacilityType,
  Languages,
  Accepting,
  Gender,
  LastUpdatedOn,
  Addresses,
  Plans,
  GroupName,
}
const PROVIDER_KEYS = new Keys([
  'npi',
  'type',
  'name',
  'facility_name',
  'speciality',
  'specialty',
  'facility_type',
  'languages',
  'accepting',
  'gender',
  'last_updated_on',
  'addresses',
  'plans',
  'group_name',
]);
const enum NameField {
  First,
  Middle,
  Last,
  Prefix,
  Suffix,
}
const NAME_KEYS = new Keys(['first', 'middle', 'last', 'prefix', 'suffix']);
/** provider's name columns, in table order. */
const NAME_COLUMNS = [NameField.Prefix, NameField.First, NameField.Middle, NameField.Last, NameField.Suffix];
/** personDisplayName: "first [middle] last [suffix]". */
const DISPLAY_NAME_TAIL = [NameField.Middle, NameField.Last, NameField.Suffix];
const enum AddressField {
  Address,
  Address2,
  City,
  State,
  Zip,
  Phone,
  Latitude,
  Longitude,
}
const ADDRESS_KEYS = new Keys(['address', 'address_2', 'city', 'state', 'zip', 'phone', 'latitude', 'longitude']);
/** Text fields of an address kept as byte ranges: address .. phone. */
const ADDRESS_TEXTS = 6;
const enum PlanField {
  PlanId,
  NetworkTier,
  Years,
}
const PLAN_KEYS = new Keys(['plan_id', 'network_tier', 'years']);
const NO_KEYS = new Keys([]);

const TYPE_CHOICES = new Keys(PROVIDER_TYPES);
const ACCEPTING_CHOICES = new Keys(ACCEPTING_WORDS);
const GENDER_CHOICES = new Keys(GENDERS);
const INDIVIDUAL = PROVIDER_TYPES.indexOf(ProviderType.INDIVIDUAL);
const GROUP = PROVIDER_TYPES.indexOf(ProviderType.GROUP);
/** More addresses than this (the schema allows 32,767) go the general path, which bounds them. */
const MAX_ADDRESSES = 1_000;
/**
 * Text taken from bytes is at most the smallest bound of any text field (qhp/vocabulary TEXT_LIMITS), so
 * no bound, nor a display name's, can be exceeded here; longer text goes the general path, which
 * rejects or drops it.
 */
const MAX_TEXT_BYTES = Math.min(...Object.values(TEXT_LIMITS));
/** Values of keys not read here nest at most this deep; deeper ones go the general path (which bounds nesting). */
const MAX_SKIPPED_DEPTH = 8;
const ADDRESS_NUMBERS = Array.from({ length: 64 }, (_, n) => `${n}\t`);

/** Numbers reused record after record: resetting a JS array's length would free its storage each time. */
class Ints {
  items = new Int32Array(64);
  length = 0;

  push(value: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(2 * this.items.length);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = value;
  }
}

/**
 * A plans array met before, by its exact bytes: a record listing the same bytes lists the same valid
 * entries (they depend on the catalog alone), so they are not read again.
 */
interface KnownPlanList {
  bytes: Buffer;
  /** Its set id (network-sets.ts), as ASCII digits. */
  setId: Uint8Array;
  /** Its valid entries (network memberships counted per listing). */
  entries: number;
  /** FNV-1a of its bytes: stands for them in the record's fingerprint (`lastFingerprint`). */
  fingerprint: number;
}

/** Plans arrays remembered by the hash of their bytes; a file with more distinct ones starts over. */
const MAX_KNOWN_PLAN_LISTS = 1024;
/**
 * Plans arrays at least this long are also compared, byte for byte at the array's position, with the
 * few long ones met last (`recentLongLists`) before any of their bytes is read: a comparison (memcmp)
 * costs far less than the scan and hash a long array needs, and dense files (every plan of each
 * network listed on each listing) repeat a handful of long arrays on every record. Shorter arrays, as
 * sparse files list them, are many and distinct: comparing each with recent ones would mostly fail.
 */
export const LONG_PLAN_LIST_BYTES = 1024;
/** Long plans arrays kept for comparison, most recently met first. */
const RECENT_LONG_LISTS = 8;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over bytes[start, end), continuing from `hash`. */
export function fnv1a(bytes: Uint8Array, start: number, end: number, hash = FNV_OFFSET): number {
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash;
}

/** A plan of the catalog with its network tiers as bytes. */
interface PlanTiers {
  plan: CatalogPlan;
  planId: Uint8Array;
  tiers: Uint8Array[];
  tierNames: string[];
}

/** Appends bytes to a buffer whose room was reserved beforehand. */
class Writer {
  buf = new Uint8Array(0);
  at = 0;

  start(sink: ByteRowSink, room: number): void {
    this.buf = sink.reserve(room);
    this.at = sink.byteLength;
  }
  copy(src: Uint8Array, start: number, end: number): void {
    const buf = this.buf;
    let at = this.at;
    for (let i = start; i < end; i++) buf[at++] = src[i];
    this.at = at;
  }
  bytes(bytes: Uint8Array): void {
    this.copy(bytes, 0, bytes.length);
  }
  byte(b: number): void {
    this.buf[this.at++] = b;
  }
  text(text: string): void {
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    this.at = at;
  }
  /** A text column from src[start, end), or \N when start < 0; then a tab. */
  column(src: Uint8Array, start: number, end: number): void {
    if (start < 0) this.null();
    else this.copy(src, start, end);
    this.byte(Byte.Tab);
  }
  null(): void {
    this.byte(Byte.Backslash);
    this.byte(0x4e); // N
  }
  /** A text[] literal of the ranges in `list` (pairs), each quoted, optionally lower-cased. */
  list(src: Uint8Array, ranges: Ints, lower: boolean): void {
    const list = ranges.items;
    this.byte(0x7b);
    for (let i = 0; i < ranges.length; i += 2) {
      if (i) this.byte(Byte.Comma);
      this.byte(Byte.Quote);
      if (lower) {
        for (let k = list[i]; k < list[i + 1]; k++) {
          const b = src[k];
          this.buf[this.at++] = b >= Byte.UpperA && b <= Byte.UpperZ ? b + 32 : b;
        }
      } else {
        this.copy(src, list[i], list[i + 1]);
      }
      this.byte(Byte.Quote);
    }
    this.byte(Byte.CloseBrace);
  }
}

/** The fingerprint of record[start, end) whose plans array at [plansStart, plansEnd) hashes (fnv1a) to `plansHash`. */
function fingerprintAround(src: Uint8Array, start: number, end: number, plansStart: number, plansEnd: number, plansHash: number): number {
  const hash = Math.imul(fnv1a(src, start, plansStart) ^ plansHash, FNV_PRIME);
  return fnv1a(src, plansEnd, end, hash) >>> 0;
}

/**
 * A hash of the bytes of the record at src[start, end), to tell exact repeats (duplicate-providers.ts):
 * its top-level plans array, when it has one, counts as the FNV-1a hash of its bytes, as
 * ProviderBytesRenderer.lastFingerprint hashes the records it takes (which then needs no pass over an
 * array it knows); other bytes are hashed as they come. A record that is not valid JSON still hashes.
 */
export function recordFingerprint(src: Uint8Array, start: number, end: number): number {
  const plans = plansArraySpan(src, start, end);
  if (!plans) return fnv1a(src, start, end) >>> 0;
  return fingerprintAround(src, start, end, plans[0], plans[1], fnv1a(src, plans[0], plans[1]));
}

const PLANS_KEY = ascii('plans');

/** [start, end) of the array that the object at src[start] holds under its first "plans" key, or null. */
function plansArraySpan(src: Uint8Array, start: number, end: number): [number, number] | null {
  const isSpace = (b: number) => b === Byte.Space || b === Byte.Newline || b === Byte.Return || b === Byte.Tab;
  /** The position after the string whose content starts at `pos`. */
  const stringEnd = (pos: number): number => {
    while (pos < end && src[pos] !== Byte.Quote) pos += src[pos] === Byte.Backslash ? 2 : 1;
    return pos + 1;
  };
  let depth = 0;
  for (let pos = start; pos < end;) {
    const b = src[pos++];
    if (b === Byte.OpenBrace || b === Byte.OpenBracket) depth++;
    else if (b === Byte.CloseBrace || b === Byte.CloseBracket) depth--;
    else if (b === Byte.Quote) {
      const keyStart = pos;
      pos = stringEnd(pos);
      if (depth !== 1 || pos - 1 - keyStart !== PLANS_KEY.length || PLANS_KEY.some((k, i) => src[keyStart + i] !== k)) continue;
      let at = pos;
      while (at < end && isSpace(src[at])) at++;
      if (src[at] !== Byte.Colon) continue; // a string value, not a key
      at++;
      while (at < end && isSpace(src[at])) at++;
      if (src[at] !== Byte.OpenBracket) return null;
      let nesting = 0;
      for (let i = at; i < end;) {
        const c = src[i++];
        if (c === Byte.Quote) i = stringEnd(i);
        else if (c === Byte.OpenBracket || c === Byte.OpenBrace) nesting++;
        else if ((c === Byte.CloseBracket || c === Byte.CloseBrace) && --nesting === 0) return [at, i];
      }
      return null;
    }
  }
  return null;
}

/** Renders canonical provider records from bytes (see the top of this file); one per thread. */
export class ProviderBytesRenderer {
  private readonly version: Uint8Array;
  private readonly plans = new Map<string, PlanTiers>();
  /** The same plans by a hash of their id's bytes (one plan per hash; any other is found by `plans`). */
  private readonly plansByHash = new Map<number, PlanTiers>();
  private sourceFile = '';
  private encodedSourceFile = new Uint8Array(0);
  /** "latitude\tlongitude" of each ZIP's centroid (or \N\t\N), by ZIP number, filled on first use. */
  private readonly zipCoordinates: Array<string | undefined> = new Array(100_000);
  private readonly out = new Writer();
  private readonly keyBytes: Uint8Array;

  // The record being read: byte ranges as [start, end) pairs, -1 when absent.
  private src = Buffer.alloc(0);
  private pos = 0;
  private end = 0;
  private recordStart = 0;
  /** End of the string just read; whether it is plain (ASCII without escapes). */
  private stringEnd = 0;
  private plain = false;
  private readonly fields = new Int32Array(2 * 14);
  private readonly names = new Int32Array(2 * 5);
  private typeId = -1;
  private acceptingId = -1;
  private genderId = -1;
  /** 0: absent or null, 1: an object, 2: something else. */
  private nameShape = 0;
  private readonly specialties = new Ints();
  private readonly facilityTypes = new Ints();
  private readonly languages = new Ints();
  private addressCount = 0;
  /** ADDRESS_TEXTS ranges per address. */
  private readonly addresses = new Int32Array(2 * ADDRESS_TEXTS * MAX_ADDRESSES);
  /** Latitude and longitude per address, NaN when not given. */
  private readonly coordinates = new Float64Array(2 * MAX_ADDRESSES);
  private readonly zips = new Int32Array(MAX_ADDRESSES);
  private networkCount = 0;
  private readonly networkPlans: PlanTiers[] = [];
  private readonly networkTiers = new Ints();
  /** Per network entry, the [start, end) of its year tokens in `yearTokens`. */
  private readonly networkYears = new Ints();
  private readonly yearTokens = new Ints();
  private lastDate = new Uint8Array(10);
  private lastDateValid = false;
  /** The field naming a FACILITY or GROUP: facility_name or group_name. */
  private nameField = Field.FacilityName;
  /** Nesting of the value being skipped (skipValue). */
  private skipDepth = 0;
  private readonly knownPlanLists = new Map<number, KnownPlanList>();
  /** Long known plans arrays (LONG_PLAN_LIST_BYTES), most recently met first. */
  private readonly recentLongLists: KnownPlanList[] = [];
  /** The record's plans array when met before, else null (its entries were read). */
  private knownPlanList: KnownPlanList | null = null;
  /** The record's plans array: [start, end) and the hash of its bytes. */
  private plansStart = 0;
  private plansEnd = 0;
  private plansHash = 0;

  /** Plans arrays recognised by their bytes so far (records rendered with a known list). */
  plansListsRecognised = 0;

  /** `sets`: shared with the general path of the same thread, so a set's rows are written once. */
  constructor(
    versionId: number,
    catalog: PlanCatalog,
    private readonly geocoder: ZipGeocoder,
    private readonly sets = new NetworkSets(versionId),
  ) {
    this.version = ascii(`${versionId}\t`);
    this.keyBytes = new Uint8Array(this.version.length + 24);
    this.keyBytes.set(this.version);
    for (const data of catalog.toData()) {
      const plan = catalog.get(data.planId)!;
      const tiers: PlanTiers = { plan, planId: Buffer.from(data.planId), tiers: data.networkTiers.map((t) => Buffer.from(t)), tierNames: data.networkTiers };
      this.plans.set(data.planId, tiers);
      let hash = 0;
      for (const b of tiers.planId) hash = (Math.imul(hash, 31) + b) | 0;
      if (tiers.planId.length === 14 && !this.plansByHash.has(hash)) this.plansByHash.set(hash, tiers);
    }
  }

  /**
   * Writes the rows of the record at src[start, end) and counts them in `issues`; false (nothing
   * written, nothing counted) when the record is not one this renderer takes.
   */
  render(
    src: Buffer,
    start: number,
    end: number,
    recordNo: number,
    fileName: string,
    issues: IssueSink,
    providers: ByteRowSink,
    addresses: ByteRowSink,
    networks: ByteRowSink,
    networkSets: ByteRowSink,
  ): boolean {
    this.src = src;
    this.pos = this.recordStart = start;
    this.end = end;
    try {
      this.readRecord();
    } catch (error) {
      if (error === DECLINED) return false;
      throw error;
    }
    if (fileName !== this.sourceFile) {
      this.sourceFile = fileName;
      this.encodedSourceFile = Buffer.from(copyText(fileName));
    }
    const key = this.recordKey(recordNo);
    const { addressCount, networkCount } = this;
    const room = 4 * (end - start) + (addressCount + networkCount + 1) * (key.length + 96) + this.encodedSourceFile.length;
    this.writeProvider(key, providers, room);
    this.writeAddresses(key, addresses, room);
    this.writeNetworks(key, networks, networkSets, room);
    issues.countLoaded('providers');
    issues.countLoaded('addresses', addressCount);
    issues.countLoaded('networkMemberships', networkCount);
    return true;
  }

  /**
   * A hash of the bytes of the record `render` last took, to tell exact repeats (duplicate-providers.ts):
   * FNV-1a of its bytes, its plans array standing as the hash of its own bytes (computed once per
   * distinct array), so a long array met again is not read for this either. Equal records hash alike.
   */
  lastFingerprint(): number {
    return fingerprintAround(this.src, this.recordStart, this.end, this.plansStart, this.plansEnd, this.knownPlanList!.fingerprint);
  }

  /** The NPI of the record `render` last took, as a number (duplicate detection keys on it). */
  lastNpi(): number {
    const at = this.fields[2 * Field.Npi];
    let npi = 0;
    for (let i = at; i < at + 10; i++) npi = npi * 10 + this.src[i] - Byte.Zero;
    return npi;
  }

  // ------------------------------------------------------------------ reading

  private decline(): never {
    throw DECLINED;
  }

  private space(): void {
    const src = this.src;
    let pos = this.pos;
    const end = this.end;
    while (pos < end) {
      const b = src[pos];
      if (b !== Byte.Space && b !== Byte.Newline && b !== Byte.Return && b !== Byte.Tab) break;
      pos++;
    }
    this.pos = pos;
  }

  /** Skips white space, then expects `byte`. */
  private expect(byte: number): void {
    this.space();
    if (this.pos >= this.end || this.src[this.pos] !== byte) this.decline();
    this.pos++;
  }

  /** After white space: true (and consumed) when the next byte is `byte`. */
  private next(byte: number): boolean {
    this.space();
    if (this.pos < this.end && this.src[this.pos] === byte) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** A string at pos: returns its content's start; its end is stringEnd, `plain` tells if it is plain ASCII. */
  private string(): number {
    const src = this.src;
    const end = this.end;
    if (src[this.pos] !== Byte.Quote) this.decline();
    const start = ++this.pos;
    let pos = start;
    let plain = true;
    for (;;) {
      if (pos >= end) this.decline();
      const kind = STRING_BYTES[src[pos]];
      if (kind === StringByte.Plain) {
        pos++;
      } else if (kind === StringByte.Quote) {
        break;
      } else if (kind === StringByte.Backslash) {
        plain = false;
        pos = this.escape(pos + 1);
      } else if (kind === StringByte.NonAscii) {
        plain = false;
        pos++;
      } else {
        this.decline(); // a control character: not valid JSON, the general path reports it
      }
    }
    this.stringEnd = pos;
    this.pos = pos + 1;
    this.plain = plain;
    return start;
  }

  /** Checks the escape after a backslash (only valid JSON is ever taken); returns the position after it. */
  private escape(pos: number): number {
    const b = this.src[pos];
    if (b === Byte.Quote || b === Byte.Backslash || b === Byte.Slash || b === 0x62 || b === 0x66 || b === 0x6e || b === 0x72 || b === 0x74) return pos + 1;
    if (b !== 0x75) this.decline();
    for (let i = 1; i <= 4; i++) {
      const h = this.src[pos + i];
      if (!((h >= Byte.Zero && h <= Byte.Nine) || (h >= Byte.UpperA && h <= 0x46) || (h >= Byte.LowerA && h <= 0x66))) this.decline();
    }
    return pos + 5;
  }

  /**
   * A text value as the general path keeps it: a plain string with no padding; returns its start
   * (end: stringEnd), or -1 for null or "" (which the general path treats as absent).
   */
  private text(): number {
    this.space();
    if (this.literal(0x6e, 'null')) return -1;
    const start = this.string();
    const end = this.stringEnd;
    if (!this.plain) this.decline();
    if (start === end) return -1;
    if (end - start > MAX_TEXT_BYTES) this.decline();
    if (this.src[start] === Byte.Space || this.src[end - 1] === Byte.Space) this.decline();
    return start;
  }

  /** true (consumed) when `word` (starting with byte `first`) is at pos. */
  private literal(first: number, word: string): boolean {
    if (this.src[this.pos] !== first) return false;
    if (this.pos + word.length > this.end) this.decline();
    for (let i = 1; i < word.length; i++) if (this.src[this.pos + i] !== word.charCodeAt(i)) this.decline();
    this.pos += word.length;
    return true;
  }

  /** A JSON number at pos; returns true when it is a plain non-negative integer (digits only). */
  private number(): boolean {
    const src = this.src;
    let pos = this.pos;
    let integer = true;
    if (src[pos] === Byte.Minus) {
      integer = false;
      pos++;
    }
    if (src[pos] === Byte.Zero) pos++;
    else if (src[pos] > Byte.Zero && src[pos] <= Byte.Nine) while (src[pos] >= Byte.Zero && src[pos] <= Byte.Nine) pos++;
    else this.decline();
    if (src[pos] === Byte.Dot) {
      integer = false;
      if (!(src[++pos] >= Byte.Zero && src[pos] <= Byte.Nine)) this.decline();
      while (src[pos] >= Byte.Zero && src[pos] <= Byte.Nine) pos++;
    }
    if (src[pos] === Byte.LowerE || src[pos] === Byte.UpperE) {
      integer = false;
      pos++;
      if (src[pos] === Byte.Plus || src[pos] === Byte.Minus) pos++;
      if (!(src[pos] >= Byte.Zero && src[pos] <= Byte.Nine)) this.decline();
      while (src[pos] >= Byte.Zero && src[pos] <= Byte.Nine) pos++;
    }
    if (pos > this.end) this.decline();
    this.pos = pos;
    return integer;
  }

  /** Any JSON value (of a key not read here), checked, not kept. */
  private skipValue(): void {
    if (++this.skipDepth > MAX_SKIPPED_DEPTH) this.decline();
    this.space();
    const b = this.src[this.pos];
    if (b === Byte.Quote) this.string();
    else if (b === Byte.OpenBrace) {
      for (let id = this.firstMember(NO_KEYS); id >= 0; id = this.nextMember(NO_KEYS));
    } else if (b === Byte.OpenBracket) {
      for (let more = this.firstElement(); more; more = this.nextElement()) this.skipValue();
    } else if (!this.literal(0x74, 'true') && !this.literal(0x66, 'false') && !this.literal(0x6e, 'null')) {
      this.number();
    }
    this.skipDepth--;
  }

  /** Opens an object at pos: the id of its first member's key of `keys` (pos at the value), -1 when none. */
  private firstMember(keys: Keys): number {
    this.expect(Byte.OpenBrace);
    return this.next(Byte.CloseBrace) ? -1 : this.member(keys);
  }

  /** After a member's value: the id of the next member's key (pos at its value), -1 at the object's end. */
  private nextMember(keys: Keys): number {
    if (this.next(Byte.Comma)) return this.member(keys);
    this.expect(Byte.CloseBrace);
    return -1;
  }

  /** Reads a key and its colon; the members of other keys are checked and skipped. */
  private member(keys: Keys): number {
    for (;;) {
      this.space();
      const start = this.string();
      // An escaped key may spell a known one once decoded ("n\u0070i"): the general path decides.
      if (!this.plain) this.decline();
      const id = keys.find(this.src, start, this.stringEnd);
      this.expect(Byte.Colon);
      this.space();
      if (id >= 0) return id;
      this.skipValue();
      if (!this.next(Byte.Comma)) {
        this.expect(Byte.CloseBrace);
        return -1;
      }
    }
  }

  /** Adds key `id` to the keys seen in an object (a bit each); a key seen twice declines the record. */
  private once(seen: number, id: number): number {
    // JSON.parse keeps the last value of a repeated key: the general path decides.
    if (seen & (1 << id)) this.decline();
    return seen | (1 << id);
  }

  /** Opens an array at pos: true (pos at its first element) unless it is empty. */
  private firstElement(): boolean {
    this.expect(Byte.OpenBracket);
    if (this.next(Byte.CloseBracket)) return false;
    this.space();
    return true;
  }

  /** After an element: true (pos at the next one) unless the array ends. */
  private nextElement(): boolean {
    if (this.next(Byte.Comma)) {
      this.space();
      return true;
    }
    this.expect(Byte.CloseBracket);
    return false;
  }

  /** One of `choices` spelled exactly; -1 for null or "". */
  private choice(choices: Keys): number {
    const start = this.text();
    if (start < 0) return -1;
    const id = choices.find(this.src, start, this.stringEnd);
    if (id < 0) this.decline();
    return id;
  }

  /** A free-text list (textList): null, one string or an array of strings; "" dropped, repeats dropped. */
  private textList(into: Ints): void {
    if (this.src[this.pos] !== Byte.OpenBracket) this.listItem(into);
    else for (let more = this.firstElement(); more; more = this.nextElement()) this.listItem(into);
  }

  private listItem(into: Ints): void {
    const start = this.text();
    if (start < 0) return;
    const end = this.stringEnd;
    for (let i = 0; i < into.length; i += 2) if (this.sameBytes(into.items[i], into.items[i + 1], start, end)) return;
    into.push(start);
    into.push(end);
  }

  private sameBytes(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
    if (aEnd - aStart !== bEnd - bStart) return false;
    for (let i = 0; i < aEnd - aStart; i++) if (this.src[aStart + i] !== this.src[bStart + i]) return false;
    return true;
  }

  private setRange(ranges: Int32Array, id: number, start: number): void {
    ranges[2 * id] = start;
    ranges[2 * id + 1] = start < 0 ? -1 : this.stringEnd;
  }

  private readRecord(): void {
    this.fields.fill(-1);
    this.names.fill(-1);
    this.typeId = this.acceptingId = this.genderId = -1;
    this.nameShape = 0;
    this.skipDepth = 0;
    this.specialties.length = this.facilityTypes.length = this.languages.length = 0;
    this.addressCount = this.networkCount = 0;
    this.knownPlanList = null;
    this.networkTiers.length = this.networkYears.length = this.yearTokens.length = 0;
    let seen = 0;
    for (let id = this.firstMember(PROVIDER_KEYS); id >= 0; id = this.nextMember(PROVIDER_KEYS)) {
      seen = this.once(seen, id);
      switch (id) {
        case Field.Npi:
          this.setRange(this.fields, Field.Npi, this.npi());
          break;
        case Field.Type:
          this.typeId = this.choice(TYPE_CHOICES);
          if (this.typeId < 0) this.decline();
          break;
        case Field.Name:
          if (this.src[this.pos] === Byte.OpenBrace) {
            this.nameShape = 1;
            let seenNames = 0;
            for (let nameId = this.firstMember(NAME_KEYS); nameId >= 0; nameId = this.nextMember(NAME_KEYS)) {
              seenNames = this.once(seenNames, nameId);
              this.setRange(this.names, nameId, this.text());
            }
          } else if (!this.literal(0x6e, 'null')) {
            this.nameShape = 2;
            this.skipValue();
          }
          break;
        case Field.FacilityName:
        case Field.GroupName:
          // Only FACILITY and GROUP records read them (checked once the type is known).
          if (this.src[this.pos] === Byte.Quote) this.setRange(this.fields, id, this.text());
          else this.skipValue();
          break;
        case Field.Speciality:
        case Field.Specialty:
          // speciality ?? specialty: a record with both goes the general path.
          if (seen & (1 << Field.Speciality) && seen & (1 << Field.Specialty)) this.decline();
          this.textList(this.specialties);
          break;
        case Field.FacilityType:
          this.textList(this.facilityTypes);
          break;
        case Field.Languages:
          this.textList(this.languages);
          break;
        case Field.Accepting:
          this.acceptingId = this.choice(ACCEPTING_CHOICES);
          break;
        case Field.Gender:
          this.genderId = this.choice(GENDER_CHOICES);
          break;
        case Field.LastUpdatedOn:
          this.setRange(this.fields, Field.LastUpdatedOn, this.date());
          break;
        case Field.Addresses:
          if (!this.firstElement()) this.decline();
          do this.address();
          while (this.nextElement());
          break;
        case Field.Plans:
          this.plansArray();
          break;
      }
    }
    this.space();
    if (this.pos !== this.end) this.decline();

    if (this.fields[2 * Field.Npi] < 0 || this.typeId < 0 || !this.addressCount || !this.networkCount) this.decline();
    if (this.typeId === INDIVIDUAL) {
      if (this.nameShape !== 1 || this.names[2 * NameField.First] < 0 || this.names[2 * NameField.Last] < 0) this.decline();
    } else {
      // A GROUP is named by group_name, or by facility_name in files that used it; a record with both
      // (or a FACILITY with only group_name) goes the general path, which picks or reports.
      const group = this.typeId === GROUP && seen & (1 << Field.GroupName);
      if (group && seen & (1 << Field.FacilityName)) this.decline();
      this.nameField = group ? Field.GroupName : Field.FacilityName;
      if (this.fields[2 * this.nameField] < 0) this.decline();
    }
  }

  /** A 10-digit NPI string with its check digit right. */
  private npi(): number {
    const start = this.text();
    if (start < 0 || this.stringEnd - start !== 10) this.decline();
    const src = this.src;
    let first9 = '';
    for (let i = 0; i < 10; i++) {
      const b = src[start + i];
      if (b < Byte.Zero || b > Byte.Nine) this.decline();
      if (i < 9) first9 += String.fromCharCode(b);
    }
    if (npiCheckDigit(first9) !== src[start + 9] - Byte.Zero) this.decline();
    return start;
  }

  /** A YYYY-MM-DD calendar date; -1 for null or "". */
  private date(): number {
    const start = this.text();
    if (start < 0) return -1;
    const src = this.src;
    if (this.stringEnd - start !== 10) this.decline();
    let same = this.lastDateValid;
    for (let i = 0; same && i < 10; i++) same = this.lastDate[i] === src[start + i];
    if (same) return start;
    const digits = (from: number, count: number): number => {
      let value = 0;
      for (let i = from; i < from + count; i++) {
        const b = src[start + i];
        if (b < Byte.Zero || b > Byte.Nine) this.decline();
        value = value * 10 + b - Byte.Zero;
      }
      return value;
    };
    if (src[start + 4] !== Byte.Minus || src[start + 7] !== Byte.Minus) this.decline();
    const [year, month, day] = [digits(0, 4), digits(5, 2), digits(8, 2)];
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) this.decline();
    this.lastDate.set(src.subarray(start, start + 10));
    this.lastDateValid = true;
    return start;
  }

  private address(): void {
    if (this.addressCount === MAX_ADDRESSES) this.decline();
    const at = 2 * ADDRESS_TEXTS * this.addressCount;
    this.addresses.fill(-1, at, at + 2 * ADDRESS_TEXTS);
    let latitude: number | null = null;
    let longitude: number | null = null;
    let seen = 0;
    for (let id = this.firstMember(ADDRESS_KEYS); id >= 0; id = this.nextMember(ADDRESS_KEYS)) {
      seen = this.once(seen, id);
      if (id === AddressField.Latitude) latitude = this.coordinate(90);
      else if (id === AddressField.Longitude) longitude = this.coordinate(180);
      else {
        const start = this.text();
        this.addresses[at + 2 * id] = start;
        this.addresses[at + 2 * id + 1] = start < 0 ? -1 : this.stringEnd;
      }
    }
    const a = this.addresses;
    if (a[at + 2 * AddressField.Address] < 0 || a[at + 2 * AddressField.City] < 0) this.decline();
    const stateAt = a[at + 2 * AddressField.State];
    if (stateAt < 0 || a[at + 2 * AddressField.State + 1] - stateAt !== 2 || !isLetter(this.src[stateAt]) || !isLetter(this.src[stateAt + 1])) this.decline();
    const zipAt = a[at + 2 * AddressField.Zip];
    if (zipAt < 0 || a[at + 2 * AddressField.Zip + 1] - zipAt !== 5) this.decline();
    let zip = 0;
    for (let i = zipAt; i < zipAt + 5; i++) {
      const b = this.src[i];
      if (b < Byte.Zero || b > Byte.Nine) this.decline();
      zip = zip * 10 + b - Byte.Zero;
    }
    const n = this.addressCount++;
    this.zips[n] = zip;
    this.coordinates[2 * n] = latitude ?? NaN;
    this.coordinates[2 * n + 1] = longitude ?? NaN;
  }

  /** A coordinate given as a JSON number within ±limit, else null (the ZIP centroid is used); strings go the general path. */
  private coordinate(limit: number): number | null {
    if (this.literal(0x6e, 'null')) return null;
    const start = this.pos;
    this.number();
    const value = Number(this.src.toString('latin1', start, this.pos));
    return Number.isFinite(value) && Math.abs(value) <= limit ? value : null;
  }

  /** The plans array: one met before (same bytes) is skipped, its entries known; any other is read entry by entry. */
  private plansArray(): void {
    this.space();
    const start = this.pos;
    this.plansStart = start;
    const recent = this.recentLongList(start);
    if (recent) {
      this.knownPlanList = recent;
      this.networkCount = recent.entries;
      this.pos = this.plansEnd = start + recent.bytes.length;
      return;
    }
    const end = this.skipArray();
    this.plansEnd = end;
    const hash = this.plansHash;
    const known = this.knownPlanLists.get(hash);
    if (known && known.bytes.length === end - start && this.src.compare(known.bytes, 0, known.bytes.length, start, end) === 0) {
      this.knownPlanList = known;
      this.networkCount = known.entries;
      this.pos = end;
      if (known.bytes.length >= LONG_PLAN_LIST_BYTES) this.rememberLongList(known);
      return;
    }
    this.pos = start;
    if (!this.firstElement()) this.decline();
    do this.networkEntry();
    while (this.nextElement());
  }

  /**
   * The long known plans array whose exact bytes start at `start`, if any, moved to the front of
   * recentLongLists. Equal bytes make an array that was read whole before, so it ends where they do.
   */
  private recentLongList(start: number): KnownPlanList | null {
    const { src, end, recentLongLists: lists } = this;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i];
      const length = list.bytes.length;
      if (start + length > end || src[start + length - 1] !== Byte.CloseBracket) continue;
      if (src.compare(list.bytes, 0, length, start, start + length) !== 0) continue;
      for (let k = i; k > 0; k--) lists[k] = lists[k - 1];
      lists[0] = list;
      return list;
    }
    return null;
  }

  private rememberLongList(list: KnownPlanList): void {
    const lists = this.recentLongLists;
    if (lists.includes(list)) return;
    if (lists.length === RECENT_LONG_LISTS) lists.pop();
    lists.unshift(list);
  }

  /**
   * The end of the array at pos (after its closing bracket), found without reading its values, and the
   * hash of its bytes in plansHash. Malformed JSON inside is found when the array is read.
   */
  private skipArray(): number {
    const src = this.src;
    const end = this.end;
    let pos = this.pos;
    if (src[pos] !== Byte.OpenBracket) this.decline();
    let depth = 0;
    let hash = 0;
    while (pos < end) {
      const b = src[pos++];
      hash = (Math.imul(hash, 31) + b) | 0;
      if (b === Byte.Quote) {
        while (pos < end) {
          const c = src[pos++];
          hash = (Math.imul(hash, 31) + c) | 0;
          if (c === Byte.Quote) break;
          if (c === Byte.Backslash && pos < end) hash = (Math.imul(hash, 31) + src[pos++]) | 0;
        }
      } else if (b === Byte.OpenBracket || b === Byte.OpenBrace) {
        depth++;
      } else if ((b === Byte.CloseBracket || b === Byte.CloseBrace) && --depth === 0) {
        this.plansHash = hash;
        return pos;
      }
    }
    return this.decline();
  }

  private networkEntry(): void {
    let plan: PlanTiers | undefined;
    let tierStart = -1;
    let tierEnd = -1;
    const yearsFrom = this.yearTokens.length;
    let seen = 0;
    for (let id = this.firstMember(PLAN_KEYS); id >= 0; id = this.nextMember(PLAN_KEYS)) {
      seen = this.once(seen, id);
      if (id === PlanField.PlanId) {
        plan = this.plan(this.text());
      } else if (id === PlanField.NetworkTier) {
        tierStart = this.text();
        tierEnd = this.stringEnd;
      } else if (!this.literal(0x6e, 'null')) {
        this.years();
      }
    }
    if (!plan || tierStart < 0) this.decline();
    let tier = -1;
    for (let t = 0; t < plan.tiers.length && tier < 0; t++) {
      const bytes = plan.tiers[t];
      if (bytes.length !== tierEnd - tierStart) continue;
      let i = 0;
      while (i < bytes.length && bytes[i] === this.src[tierStart + i]) i++;
      if (i === bytes.length) tier = t;
    }
    if (tier < 0) this.decline();
    // Repeated (plan, tier) entries are merged by the general path.
    for (let i = 0; i < this.networkCount; i++) if (this.networkPlans[i] === plan && this.networkTiers.items[i] === tier) this.decline();
    this.networkPlans[this.networkCount++] = plan;
    this.networkTiers.push(tier);
    this.networkYears.push(yearsFrom);
    this.networkYears.push(this.yearTokens.length);
  }

  /** Plan years as files almost always hold them: integers 2014..2100, increasing. */
  private years(): void {
    let previous = MIN_PLAN_YEAR - 1;
    for (let more = this.firstElement(); more; more = this.nextElement()) {
      const start = this.pos;
      if (!this.number() || this.pos - start !== 4) this.decline();
      let year = 0;
      for (let i = start; i < this.pos; i++) year = year * 10 + this.src[i] - Byte.Zero;
      if (year <= previous || year > MAX_PLAN_YEAR) this.decline();
      previous = year;
      this.yearTokens.push(start);
    }
  }

  /** The catalog plan whose id is the string at `start` (to stringEnd), found by a hash of its bytes. */
  private plan(start: number): PlanTiers {
    if (start < 0 || this.stringEnd - start !== 14) this.decline();
    const src = this.src;
    let hash = 0;
    for (let i = start; i < start + 14; i++) hash = (Math.imul(hash, 31) + src[i]) | 0;
    const candidate = this.plansByHash.get(hash);
    if (candidate) {
      let i = 0;
      while (i < 14 && candidate.planId[i] === src[start + i]) i++;
      if (i === 14) return candidate;
    }
    return this.plans.get(src.toString('latin1', start, start + 14)) ?? this.decline();
  }

  // ------------------------------------------------------------------ writing (RowRenderer.writeProvider's rows)

  /** "version\trecordNo\t", the start of every row of the record. */
  private recordKey(recordNo: number): Uint8Array {
    const digits = String(recordNo);
    const key = this.keyBytes.subarray(0, this.version.length + digits.length + 1);
    let at = this.version.length;
    for (let i = 0; i < digits.length; i++) key[at++] = digits.charCodeAt(i);
    key[at] = Byte.Tab;
    return key;
  }

  private writeProvider(key: Uint8Array, sink: ByteRowSink, room: number): void {
    const { out, src, fields, names } = this;
    out.start(sink, room);
    out.bytes(key);
    out.column(src, fields[2 * Field.Npi], fields[2 * Field.Npi + 1]);
    out.text(PROVIDER_TYPES[this.typeId]);
    out.byte(Byte.Tab);
    if (this.typeId === INDIVIDUAL) {
      for (const id of NAME_COLUMNS) out.column(src, names[2 * id], names[2 * id + 1]);
      out.column(src, -1, -1);
      out.copy(src, names[2 * NameField.First], names[2 * NameField.First + 1]);
      for (const id of DISPLAY_NAME_TAIL) {
        if (names[2 * id] < 0) continue;
        out.byte(Byte.Space);
        out.copy(src, names[2 * id], names[2 * id + 1]);
      }
      out.byte(Byte.Tab);
    } else {
      for (let i = 0; i < 5; i++) out.column(src, -1, -1);
      const name = 2 * this.nameField;
      out.column(src, fields[name], fields[name + 1]);
      out.column(src, fields[name], fields[name + 1]);
    }
    out.list(src, this.specialties, false);
    out.byte(Byte.Tab);
    out.list(src, this.facilityTypes, false);
    out.byte(Byte.Tab);
    if (this.acceptingId < 0) out.null();
    else out.text(ACCEPTING_WORDS[this.acceptingId]);
    out.byte(Byte.Tab);
    if (this.genderId < 0) out.null();
    else out.text(GENDERS[this.genderId]);
    out.byte(Byte.Tab);
    out.list(src, this.languages, false);
    out.byte(Byte.Tab);
    out.column(src, fields[2 * Field.LastUpdatedOn], fields[2 * Field.LastUpdatedOn + 1]);
    out.bytes(this.encodedSourceFile);
    out.byte(Byte.Tab);
    out.list(src, this.specialties, true);
    out.byte(Byte.Newline);
    sink.commit(out.at, 1);
  }

  private writeAddresses(key: Uint8Array, sink: ByteRowSink, room: number): void {
    const { out, src, addresses: a } = this;
    out.start(sink, room);
    for (let n = 0; n < this.addressCount; n++) {
      const at = n * 2 * ADDRESS_TEXTS;
      out.bytes(key);
      out.text(n < ADDRESS_NUMBERS.length ? ADDRESS_NUMBERS[n] : `${n}\t`);
      out.column(src, a[at], a[at + 1]);
      out.column(src, a[at + 2], a[at + 3]);
      out.column(src, a[at + 4], a[at + 5]);
      const state = a[at + 6];
      out.byte(upper(src[state]));
      out.byte(upper(src[state + 1]));
      out.byte(Byte.Tab);
      out.column(src, a[at + 8], a[at + 9]);
      out.column(src, a[at + 10], a[at + 11]);
      const latitude = this.coordinates[2 * n];
      const longitude = this.coordinates[2 * n + 1];
      out.text(Number.isNaN(latitude) || Number.isNaN(longitude) ? this.zipCoordinatesOf(n) : `${latitude}\t${longitude}`);
      out.byte(Byte.Newline);
    }
    sink.commit(out.at, this.addressCount);
  }

  private zipCoordinatesOf(address: number): string {
    const zip = this.zips[address];
    const known = this.zipCoordinates[zip];
    if (known !== undefined) return known;
    const centroid = this.geocoder.locate(String(zip).padStart(5, '0'));
    return (this.zipCoordinates[zip] = centroid ? `${centroid.latitude}\t${centroid.longitude}` : '\\N\t\\N');
  }

  /** The listing's row pointing to its network set, and the set's rows the first time the set is met. */
  private writeNetworks(key: Uint8Array, sink: ByteRowSink, setSink: ByteRowSink, room: number): void {
    const { out, src, fields } = this;
    if (this.knownPlanList) this.plansListsRecognised++;
    const known = (this.knownPlanList ??= this.newPlanList(setSink));
    out.start(sink, room);
    out.bytes(key);
    out.copy(src, fields[2 * Field.Npi], fields[2 * Field.Npi + 1]);
    out.byte(Byte.Tab);
    out.bytes(known.setId);
    out.byte(Byte.Newline);
    sink.commit(out.at, 1);
  }

  /** The record's plans array, read entry by entry, as a set (its rows written when new) and remembered. */
  private newPlanList(setSink: ByteRowSink): KnownPlanList {
    const { src, networkPlans: plans, networkCount: count } = this;
    const tiers = this.networkTiers.items;
    const years = this.networkYears.items;
    const yearTokens = this.yearTokens.items;
    const entries: NetworkEntryRecord[] = [];
    for (let i = 0; i < count; i++) {
      const entryYears: number[] = [];
      for (let y = years[2 * i]; y < years[2 * i + 1]; y++) {
        const at = yearTokens[y];
        entryYears.push((src[at] - Byte.Zero) * 1000 + (src[at + 1] - Byte.Zero) * 100 + (src[at + 2] - Byte.Zero) * 10 + (src[at + 3] - Byte.Zero));
      }
      entries.push({ planId: plans[i].plan.planId, networkTier: plans[i].tierNames[tiers[i]], years: entryYears });
    }
    // The general path's order (byPlanAndTier): plan id, then tier.
    entries.sort((a, b) =>
      a.planId !== b.planId ? (a.planId < b.planId ? -1 : 1) : a.networkTier < b.networkTier ? -1 : a.networkTier > b.networkTier ? 1 : 0,
    );
    const set = this.sets.idOf(entries);
    if (set.rows?.length) {
      const rows = set.rows.join('');
      this.out.start(setSink, rows.length);
      this.out.text(rows);
      setSink.commit(this.out.at, set.rows.length);
    }
    const bytes = Buffer.from(src.subarray(this.plansStart, this.plansEnd));
    const known: KnownPlanList = { bytes, setId: ascii(set.id), entries: count, fingerprint: fnv1a(bytes, 0, bytes.length) };
    if (this.knownPlanLists.size >= MAX_KNOWN_PLAN_LISTS) {
      this.knownPlanLists.clear();
      this.recentLongLists.length = 0;
    }
    this.knownPlanLists.set(this.plansHash, known);
    if (bytes.length >= LONG_PLAN_LIST_BYTES) this.rememberLongList(known);
    return known;
  }
}

function isLetter(b: number): boolean {
  return (b >= Byte.UpperA && b <= Byte.UpperZ) || (b >= Byte.LowerA && b <= Byte.LowerZ);
}

function upper(b: number): number {
  return b >= Byte.LowerA && b <= Byte.LowerZ ? b - 32 : b;
}
