import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { Connection, pageSize, toConnection } from '../common/pagination';
import { ProviderAddressModel } from '../providers/models/provider.model';
import { LISTING_COLUMNS, toListing } from '../providers/provider-listings.repository';
import { ACCEPTING, NOT_ACCEPTING } from '../qhp/vocabulary';
import { decodeTaggedCursor } from './cursor-keys';
import { ProviderSearchFilter } from './provider-search.args';
import { ProviderKind, ProviderSearchOrder, ProviderSearchResultModel } from './provider-search.model';
import { arrayHasValueSql, hasSpecialtySql, membershipCoversYearSql } from './sql-fragments';
import { BuiltQuery, SqlParams } from './sql-params';
import { userInputError } from './user-input-error';
import { zipCentroid } from './zip-centroids';

export const MAX_RADIUS_MILES = 100;
export const DEFAULT_RADIUS_MILES = 25;
const METERS_PER_MILE = 1609.344;

/**
 * Lowest pg_trgm word similarity a name must reach. Two typos in a short name ("jonh smth" vs "John Smith")
 * score about 0.31; below 0.25 unrelated names that merely share initials start to qualify.
 */
export const NAME_MATCH_THRESHOLD = 0.25;

export interface ProviderSearchQuery extends BuiltQuery {
  order: ProviderSearchOrder;
  /** Set when the query uses `<%`: run it under this pg_trgm.word_similarity_threshold. */
  wordSimilarityThreshold: number | null;
}

/** The GraphQL filter, plus several provider types at once (the Marketplace REST API's comma-separated `type`). */
export type ProviderSearchCriteria = ProviderSearchFilter & {
  types?: readonly ProviderKind[] | null;
  /** Only listings pointing to one of these network sets (a network's listings; with planId, one of its plans). */
  networkSetIds?: readonly string[] | null;
};

type SortKey = [key: number | string, versionId: number, recordNo: number];

type ListingRow = Parameters<typeof toListing>[0];

interface SearchRow extends ListingRow {
  sortKey: number | string;
  distanceMiles: number | null;
  relevance: number | null;
  nearestAddress: ProviderAddressModel | null;
}

/** Shoppers' provider search: published listings by name, place, specialty and plan network. */
@Injectable()
export class ProviderSearchService {
  constructor(private readonly db: Database) {}

  async search(
    filter: ProviderSearchCriteria,
    orderBy: ProviderSearchOrder | null | undefined,
    first: number | null | undefined,
    after: string | null | undefined,
  ): Promise<Connection<ProviderSearchResultModel>> {
    const limit = pageSize(first);
    const query = buildProviderSearchQuery(filter, orderBy, limit + 1, after);
    const rows: SearchRow[] = await this.db.search(query.sql, query.params, {
      wordSimilarityThreshold: query.wordSimilarityThreshold,
    });
    const results = rows.map((row) => {
      const { sortKey, distanceMiles, relevance, nearestAddress, ...listing } = row;
      return {
        result: { listing: toListing(listing), distanceMiles, relevance, nearestAddress },
        key: [sortKey, listing.versionId, listing.recordNo] as SortKey,
      };
    });
    const connection = toConnection(results, limit, (r) => [query.order, ...r.key]);
    return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: edge.node.result })) };
  }
}

function effectiveOrder(filter: ProviderSearchFilter, requested: ProviderSearchOrder | null | undefined): ProviderSearchOrder {
  if (requested === ProviderSearchOrder.DISTANCE && !filter.zip) {
    throw userInputError('orderBy DISTANCE needs filter.zip', 'orderBy');
  }
  if (requested && requested !== ProviderSearchOrder.RELEVANCE) return requested;
  // Relevance is only defined for a name search; otherwise the most useful order is nearest, then by name.
  if (filter.name) return ProviderSearchOrder.RELEVANCE;
  return filter.zip ? ProviderSearchOrder.DISTANCE : ProviderSearchOrder.NAME;
}

function validate(filter: ProviderSearchFilter): { name: string | null; radiusMiles: number } {
  const name = filter.name?.trim().replace(/\s+/g, ' ') || null;
  if (name !== null && name.replace(/\s/g, '').length < 2) {
    throw userInputError('filter.name needs at least 2 letters', 'filter.name');
  }
  if (!name && !filter.zip && !filter.planId && !filter.specialty) {
    // Anything else alone (gender, language...) would read every published listing.
    throw userInputError('searchProviders needs at least one of filter.name, filter.zip, filter.planId or filter.specialty', 'filter');
  }
  if (filter.radiusMiles != null && !filter.zip) throw userInputError('filter.radiusMiles needs filter.zip', 'filter.radiusMiles');
  const radiusMiles = filter.radiusMiles ?? DEFAULT_RADIUS_MILES;
  if (!(radiusMiles > 0) || radiusMiles > MAX_RADIUS_MILES) {
    throw userInputError(`filter.radiusMiles must be more than 0 and at most ${MAX_RADIUS_MILES} miles (got ${radiusMiles})`, 'filter.radiusMiles');
  }
  return { name, radiusMiles };
}

/**
 * The search as one SQL statement. The inner query picks the page of listings (keys and sort key only);
 * the outer one reads the full listings of that page alone.
 *
 * - name: `<%` on the trigram index of display_name, ranked by the mean of word similarity and similarity
 *   (whole-name similarity prefers "John Smith" over "John Smithers" for "john smith").
 * - zip: the listing's addresses inside a latitude/longitude box enclosing the radius (GiST on
 *   point(longitude, latitude), cheap to build at load, unlike a GiST on ll_to_earth), then the exact
 *   earth_distance; a listing appears once, through its nearest address (NOT EXISTS a nearer one). Nearest
 *   first sorts the addresses in the radius by `<->` (the straight-line distance, which orders like the
 *   great-circle one).
 * - NAME order walks provider_display_name_order_idx (display_name, version_id, record_no).
 * - keyset pagination on (sort key, version_id, record_no): the sort key is the `<->` distance (float8,
 *   exact through JSON), display_name, or the relevance rounded to a numeric, so a cursor compares exactly
 *   with the value it came from.
 */
/** earthdistance's earth radius (earth() in meters). */
const EARTH_RADIUS_METERS = 6378168;

/**
 * A latitude/longitude box holding every point within `meters` of the center (2% slack), or null where a
 * box would not (near a pole or across the antimeridian): then only the exact distance filters.
 */
export function latLonBox(latitude: number, longitude: number, meters: number): { latMin: number; latMax: number; lonMin: number; lonMax: number } | null {
  const degrees = (((meters / EARTH_RADIUS_METERS) * 180) / Math.PI) * 1.02 + 1e-6;
  const latMin = latitude - degrees;
  const latMax = latitude + degrees;
  const widest = Math.max(Math.abs(latMin), Math.abs(latMax));
  if (widest >= 89) return null;
  const lonHalf = degrees / Math.cos((widest * Math.PI) / 180);
  const lonMin = longitude - lonHalf;
  const lonMax = longitude + lonHalf;
  if (lonMin < -180 || lonMax > 180) return null;
  return { latMin, latMax, lonMin, lonMax };
}

export function buildProviderSearchQuery(
  filter: ProviderSearchCriteria,
  requestedOrder: ProviderSearchOrder | null | undefined,
  limit: number,
  after: string | null | undefined,
): ProviderSearchQuery {
  const { name, radiusMiles } = validate(filter);
  const order = effectiveOrder(filter, requestedOrder);
  const afterKey = decodeTaggedCursor<SortKey>(after, order, 3);
  const params = new SqlParams();
  const conditions: string[] = [];
  let from = 'provider p JOIN issuer pi ON pi.current_version_id = p.version_id';
  let place = 'NULL::numeric AS miles, NULL::smallint AS address_no';
  let straightLine = 'NULL::float8';

  if (filter.zip) {
    const center = zipCentroid(filter.zip, 'filter.zip');
    const origin = `ll_to_earth(${params.add(center.latitude, 'float8')}, ${params.add(center.longitude, 'float8')})`;
    const meters = params.add(radiusMiles * METERS_PER_MILE, 'float8');
    const point = (alias: string) => `ll_to_earth(${alias}.latitude, ${alias}.longitude)`;
    straightLine = `(${point('a')} <-> ${origin})`;
    from = `provider_address a
        JOIN issuer pi ON pi.current_version_id = a.version_id
        JOIN provider p ON p.version_id = a.version_id AND p.record_no = a.record_no`;
    place = `round((earth_distance(${origin}, ${point('a')}) / ${METERS_PER_MILE})::numeric, 2) AS miles, a.address_no`;
    const fartherThan = `(${point('b')} <-> ${origin})`;
    const box = latLonBox(center.latitude, center.longitude, radiusMiles * METERS_PER_MILE);
    if (box) {
      const corner = (lon: number, lat: number) => `point(${params.add(lon, 'float8')}, ${params.add(lat, 'float8')})`;
      conditions.push(`point(a.longitude, a.latitude) <@ box(${corner(box.lonMin, box.latMin)}, ${corner(box.lonMax, box.latMax)})`);
    }
    conditions.push(
      `earth_distance(${origin}, ${point('a')}) <= ${meters}`,
      `NOT EXISTS (SELECT 1 FROM provider_address b
                    WHERE b.version_id = a.version_id AND b.record_no = a.record_no AND b.address_no <> a.address_no
                      AND (${fartherThan} < ${straightLine} OR (${fartherThan} = ${straightLine} AND b.address_no < a.address_no)))`,
    );
  }

  let score = 'NULL::numeric';
  if (name) {
    const nameParam = params.add(name, 'text');
    conditions.push(`${nameParam} <% p.display_name`);
    score = `round(((word_similarity(${nameParam}, p.display_name) + similarity(${nameParam}, p.display_name)) / 2)::numeric, 4)`;
  }
  if (filter.specialty) conditions.push(hasSpecialtySql('p', params.add(filter.specialty.trim(), 'text')));
  if (filter.facilityType) conditions.push(arrayHasValueSql('p.facility_types', params.add(filter.facilityType.trim(), 'text')));
  if (filter.language) conditions.push(arrayHasValueSql('p.languages', params.add(filter.language.trim(), 'text')));
  if (filter.type) conditions.push(`p.type = ${params.add(filter.type, 'text')}`);
  if (filter.types?.length) conditions.push(`p.type = ANY(${params.add(filter.types, 'text[]')})`);
  if (filter.gender) conditions.push(`lower(p.gender) = lower(${params.add(filter.gender.trim(), 'text')})`);
  if (filter.acceptingNewPatients != null) {
    conditions.push(`p.accepting = ${params.add(filter.acceptingNewPatients ? ACCEPTING : NOT_ACCEPTING, 'text')}`);
  }
  if (filter.planId || filter.year != null) {
    // The listing's own plans entry: same version and record, so it is published with the listing.
    const inPlan = filter.planId ? ` AND m.plan_id = ${params.add(filter.planId, 'char(14)')}` : '';
    const inYear = filter.year != null ? ` AND ${membershipCoversYearSql(params.add(filter.year, 'int'))}` : '';
    conditions.push(`EXISTS (SELECT 1 FROM network_membership m
                              WHERE m.version_id = p.version_id AND m.record_no = p.record_no${inPlan}${inYear})`);
  }
  if (filter.networkSetIds) {
    conditions.push(`EXISTS (SELECT 1 FROM listing_network_set l
                              WHERE l.version_id = p.version_id AND l.record_no = p.record_no
                                AND l.set_id = ANY(${params.add(filter.networkSetIds, 'bigint[]')}))`);
  }

  const sortKey = { RELEVANCE: score, DISTANCE: straightLine, NAME: 'p.display_name' }[order];
  const direction = order === ProviderSearchOrder.RELEVANCE ? 'DESC' : 'ASC';
  if (afterKey) {
    const [key, versionId, recordNo] = afterKey;
    const keyParam = params.add(key, { RELEVANCE: 'numeric', DISTANCE: 'float8', NAME: 'text' }[order]);
    const tiebreak = `(p.version_id, p.record_no) > (${params.add(versionId, 'bigint')}, ${params.add(recordNo, 'int')})`;
    const beyond = direction === 'DESC' ? '<' : '>';
    conditions.push(`(${sortKey} ${beyond} ${keyParam} OR (${sortKey} = ${keyParam} AND ${tiebreak}))`);
  }

  const sql = `
    WITH page AS (
      SELECT p.version_id, p.record_no, ${sortKey} AS sort_key, ${place}, ${score} AS relevance
        FROM ${from}
       WHERE ${conditions.length ? conditions.join('\n         AND ') : 'true'}
       ORDER BY sort_key ${direction}, p.version_id, p.record_no
       LIMIT ${params.add(limit, 'int')})
    SELECT ${LISTING_COLUMNS},
           pg.sort_key AS "sortKey", pg.miles AS "distanceMiles", pg.relevance,
           CASE WHEN na.address_no IS NULL THEN NULL ELSE json_build_object(
             'address', na.address, 'address2', na.address_2, 'city', na.city, 'state', na.state, 'zip', na.zip,
             'phone', na.phone, 'latitude', na.latitude, 'longitude', na.longitude) END AS "nearestAddress"
      FROM page pg
      JOIN provider p ON p.version_id = pg.version_id AND p.record_no = pg.record_no
      JOIN issuer i ON i.current_version_id = p.version_id
      LEFT JOIN provider_address na
        ON na.version_id = pg.version_id AND na.record_no = pg.record_no AND na.address_no = pg.address_no
     ORDER BY pg.sort_key ${direction}, pg.version_id, pg.record_no`;
  return { sql, params: params.values, order, wordSimilarityThreshold: name ? NAME_MATCH_THRESHOLD : null };
}
