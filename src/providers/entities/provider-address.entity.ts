import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('provider_address')
export class ProviderAddressEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' }) versionId: number;
  @PrimaryColumn({ name: 'record_no', type: 'int' }) recordNo: number;
  @PrimaryColumn({ name: 'address_no', type: 'smallint' }) addressNo: number;

  @Column({ type: 'text' }) address: string;
  @Column({ name: 'address_2', type: 'text', nullable: true }) address2: string | null;
  @Column({ type: 'text' }) city: string;
  @Column({ type: 'char', length: 2 }) state: string;
  @Column({ type: 'char', length: 5 }) zip: string;
  @Column({ type: 'text', nullable: true }) phone: string | null;

  /** Geocoded from the ZIP centroid at load time when the carrier gives no coordinates. */
  @Column({ type: 'double precision', nullable: true }) latitude: number | null;
  @Column({ type: 'double precision', nullable: true }) longitude: number | null;
}
