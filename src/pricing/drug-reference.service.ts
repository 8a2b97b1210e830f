import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { DrugPrice } from './out-of-pocket-estimate';

/** A brand on a plan's published formulary version: the question "is a generic of it covered there?". */
export interface BrandOnPlanKey {
  rxnormId: string;
  planId: string;
  versionId: number;
}

/** A generic equivalent of the brand that the plan's formulary lists. */
export interface CoveredGenericRow {
  brandRxnormId: string;
  planId: string;
  versionId: number;
  rxnormId: string;
  drugName: string;
  drugTier: string;
  years: number[];
}

/** What the ingredient crosswalk says about one RXCUI. */
export interface DrugIngredientRow {
  rxnormId: string;
  drugName: string;
  ingredient: string;
  strength: string;
  doseForm: string;
  isBrand: boolean;
}

/** Reads the crosswalk and price reference tables (loaded from CSV, not from carrier files). */
@Injectable()
export class DrugReferenceService {
  constructor(private readonly db: Database) {}

  /** Prices in `rxnormIds` order (null where none is on file). */
  async findPrices(rxnormIds: readonly string[]): Promise<Array<DrugPrice | null>> {
    if (!rxnormIds.length) return [];
    const rows: DrugPrice[] = await this.db.read(
      `SELECT rxnorm_id AS "rxnormId", price_per_30_days AS "pricePer30Days", source, as_of AS "asOf"
         FROM drug_price WHERE rxnorm_id = ANY($1::text[])`,
      [rxnormIds],
    );
    const byId = new Map(rows.map((row) => [row.rxnormId, row]));
    return rxnormIds.map((id) => byId.get(id) ?? null);
  }

  /** Crosswalk rows of these RXCUIs (strength, dose form, brand or generic); RXCUIs it lacks are absent. */
  async findIngredients(rxnormIds: readonly string[]): Promise<DrugIngredientRow[]> {
    if (!rxnormIds.length) return [];
    return this.db.read(
      `SELECT rxnorm_id AS "rxnormId", drug_name AS "drugName", ingredient, strength, dose_form AS "doseForm", is_brand AS "isBrand"
         FROM drug_ingredient WHERE rxnorm_id = ANY($1::text[])`,
      [rxnormIds],
    );
  }

  /**
   * For each (brand, plan version) key, the generics with the brand's ingredient, strength and dose
   * form that the same formulary version lists, best first (by name, then RXCUI, for a stable pick).
   * One query for all keys: brand row by primary key, generics by drug_ingredient_generic_idx, the
   * formulary entry by its primary key.
   */
  async findCoveredGenerics(keys: readonly BrandOnPlanKey[]): Promise<CoveredGenericRow[]> {
    if (!keys.length) return [];
    return this.db.read(
      `SELECT k.brand_rxnorm_id AS "brandRxnormId", k.plan_id AS "planId", k.version_id AS "versionId",
              g.rxnorm_id AS "rxnormId", COALESCE(d.drug_name, g.drug_name) AS "drugName",
              f.drug_tier AS "drugTier", f.years
         FROM unnest($1::text[], $2::char(14)[], $3::bigint[]) AS k(brand_rxnorm_id, plan_id, version_id)
         JOIN drug_ingredient b ON b.rxnorm_id = k.brand_rxnorm_id AND b.is_brand
         JOIN drug_ingredient g ON g.equivalence_key = b.equivalence_key AND NOT g.is_brand
         JOIN formulary_entry f ON f.version_id = k.version_id AND f.plan_id = k.plan_id AND f.rxnorm_id = g.rxnorm_id
         LEFT JOIN drug d ON d.version_id = f.version_id AND d.rxnorm_id = f.rxnorm_id
        ORDER BY k.brand_rxnorm_id, k.plan_id, "drugName", g.rxnorm_id`,
      [keys.map((k) => k.rxnormId), keys.map((k) => k.planId), keys.map((k) => k.versionId)],
    );
  }
}
