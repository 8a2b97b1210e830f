import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A list (cash) price per 30-day supply, used to turn coinsurance into dollars. */
@Entity('drug_price')
export class DrugPriceEntity {
  @PrimaryColumn({ name: 'rxnorm_id', type: 'text' }) rxnormId: string;
  @Column({ name: 'price_per_30_days', type: 'numeric', precision: 12, scale: 2 }) pricePer30Days: number;
  /** Where the price comes from, shown to users beside every estimate that uses it. */
  @Column({ type: 'text' }) source: string;
  @Column({ name: 'as_of', type: 'date' }) asOf: string;
  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' }) loadedAt: Date;
}
