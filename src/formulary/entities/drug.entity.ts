import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('drug')
export class DrugEntity {
  @PrimaryColumn({ name: 'version_id', type: 'bigint' }) versionId: number;
  /** RxNorm concept id (RXCUI), digits. */
  @PrimaryColumn({ name: 'rxnorm_id', type: 'text' }) rxnormId: string;
  @Column({ name: 'drug_name', type: 'text' }) drugName: string;
  @Column({ name: 'source_file', type: 'text', nullable: true }) sourceFile: string | null;
  @Column({ name: 'record_index', type: 'int', nullable: true }) recordIndex: number | null;
}
