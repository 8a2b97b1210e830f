import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One issuer's listing of a provider (the same NPI may be listed by many issuers, differently). */
@Entity('provider')
export class ProviderEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' })
  versionId: number;

  /** Position of the record in the version's provider files; joins addresses and plan memberships. */
  @PrimaryColumn({ name: 'record_no', type: 'int' })
  recordNo: number;

  /** 10-digit NPI with its check digit; null where the carrier lists a provider without one. "C": sorts by bytes (migration 800). */
  @Column({ type: 'char', length: 10, nullable: true, collation: 'C' })
  npi: string | null;

  @Column({ type: 'text' })
  type: 'INDIVIDUAL' | 'FACILITY' | 'GROUP';

  @Column({ type: 'text', nullable: true }) prefix: string | null;
  @Column({ name: 'first_name', type: 'text', nullable: true }) firstName: string | null;
  @Column({ name: 'middle_name', type: 'text', nullable: true }) middleName: string | null;
  @Column({ name: 'last_name', type: 'text', nullable: true }) lastName: string | null;
  @Column({ type: 'text', nullable: true }) suffix: string | null;

  @Column({ name: 'facility_name', type: 'text', nullable: true })
  facilityName: string | null;

  /** "First Middle Last" or the facility name: what people type when searching. */
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  specialties: string[];

  @Column({ name: 'facility_types', type: 'text', array: true, default: () => "'{}'" })
  facilityTypes: string[];

  @Column({ type: 'text', nullable: true })
  accepting: string | null;

  @Column({ type: 'text', nullable: true })
  gender: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages: string[];

  @Column({ name: 'last_updated_on', type: 'date', nullable: true })
  lastUpdatedOn: string | null;

  @Column({ name: 'source_file', type: 'text', nullable: true })
  sourceFile: string | null;
}
