import { Injectable } from '@nestjs/common';
import { Database, Reader } from '../database/database';
import { versionParameters } from '../database/version-pruning';
import { ProviderType } from '../qhp/vocabulary';
import { ProviderListingModel } from './models/provider.model';

interface ListingRow extends Omit<ProviderListingModel, 'name' | 'groupName'> {
  prefix: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  suffix: string | null;
}

/**
 * The SELECT list of a provider listing with its addresses; `p` is provider, `i` its issuer (or dataset
 * version). `addressFilter` narrows the address subquery (`a`), e.g. to the partitions being read.
 */
export const listingColumns = (addressFilter = 'TRUE'): string => `
  p.npi, p.type, p.prefix, p.first_name AS "firstName", p.middle_name AS "middleName", p.last_name AS "lastName",
  p.suffix, p.facility_name AS "facilityName", p.display_name AS "displayName", p.specialties,
  p.facility_types AS "facilityTypes", p.accepting, p.gender, p.languages, p.last_updated_on AS "lastUpdatedOn",
  i.issuer_id AS "issuerId", p.version_id AS "versionId", p.record_no AS "recordNo", p.source_file AS "sourceFile",
  COALESCE((SELECT json_agg(json_build_object(
            'address', a.address, 'address2', a.address_2, 'city', a.city, 'state', a.state, 'zip', a.zip,
            'phone', a.phone, 'latitude', a.latitude, 'longitude', a.longitude) ORDER BY a.address_no)
       FROM provider_address a WHERE a.version_id = p.version_id AND a.record_no = p.record_no AND ${addressFilter}), '[]') AS addresses`;

export const LISTING_COLUMNS = listingColumns();

export function toListing(row: ListingRow): ProviderListingModel {
  const { prefix, firstName, middleName, lastName, suffix, facilityName, ...rest } = row;
  const isPerson = row.type === ProviderType.INDIVIDUAL;
  return {
    ...rest,
    name: isPerson ? { prefix, first: firstName, middle: middleName, last: lastName, suffix } : null,
    // One column holds both: a facility's facility_name, a group's group_name.
    facilityName: row.type === ProviderType.FACILITY ? facilityName : null,
    groupName: row.type === ProviderType.GROUP ? facilityName : null,
  };
}

@Injectable()
export class ProviderListingsRepository {
  constructor(private readonly db: Database) {}

  /**
   * Every listing of these NPIs in these published versions (a PublishedVersions snapshot), across
   * issuers: only their partitions are read. `i` is each listing's dataset_version, which names its issuer.
   */
  async findPublishedByNpis(npis: readonly string[], publishedVersions: readonly number[], reader: Reader = this.db): Promise<ProviderListingModel[]> {
    if (!npis.length) return [];
    const version = versionParameters(publishedVersions, 2);
    const rows: ListingRow[] = await reader.read(
      `SELECT ${listingColumns(version.in('a.version_id'))}
         FROM provider p JOIN dataset_version i ON i.id = p.version_id
        WHERE p.npi = ANY($1::char(10)[]) AND ${version.in('p.version_id')}
        ORDER BY p.npi, p.last_updated_on DESC NULLS LAST, i.issuer_id, p.record_no`,
      [npis, ...version.params],
    );
    return rows.map(toListing);
  }
}
