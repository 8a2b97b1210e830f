import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of the ingredient/strength crosswalk: which products are the same medicine. */
@Entity('drug_ingredient')
export class DrugIngredientEntity {
  /** RxNorm concept id (RXCUI) of the product (brand SBD or generic SCD). */
  @PrimaryColumn({ name: 'rxnorm_id', type: 'text' }) rxnormId: string;
  @Column({ name: 'drug_name', type: 'text' }) drugName: string;
  /** Lowercase active ingredient(s), e.g. "atorvastatin". */
  @Column({ type: 'text' }) ingredient: string;
  /** e.g. "20 MG". */
  @Column({ type: 'text' }) strength: string;
  /** e.g. "Oral Tablet"; part of equivalence (an extended-release tablet is not the plain tablet). */
  @Column({ name: 'dose_form', type: 'text', default: '' }) doseForm: string;
  @Column({ name: 'is_brand', type: 'boolean' }) isBrand: boolean;

  /** lower(ingredient|strength|dose_form), computed by PostgreSQL; equal keys = equivalent products. */
  @Column({
    name: 'equivalence_key',
    type: 'text',
    generatedType: 'STORED',
    asExpression: `lower(ingredient) || '|' || lower(strength) || '|' || lower(dose_form)`,
    insert: false,
    update: false,
  })
  equivalenceKey: string;

  @Column({ name: 'loaded_at', type: 'timestamptz', default: () => 'now()' }) loadedAt: Date;
}
