import { ApiKeyEntity } from '../auth/api-key.entity';
import { DatasetVersionEntity } from '../datasets/dataset-version.entity';
import { DrugEntity } from '../formulary/entities/drug.entity';
import { FormularyEntryEntity } from '../formulary/entities/formulary-entry.entity';
import { IssuerEntity } from '../plans/entities/issuer.entity';
import { PlanDrugTierEntity } from '../plans/entities/plan-drug-tier.entity';
import { PlanEntity } from '../plans/entities/plan.entity';
import { TierCostSharingEntity } from '../plans/entities/tier-cost-sharing.entity';
import { NetworkMembershipEntity } from '../providers/entities/network-membership.entity';
import { ProviderAddressEntity } from '../providers/entities/provider-address.entity';
import { ProviderEntity } from '../providers/entities/provider.entity';
import { ImportJobEntity } from '../uploads/import-job.entity';
import { DrugIngredientEntity } from '../pricing/entities/drug-ingredient.entity';
import { DrugPriceEntity } from '../pricing/entities/drug-price.entity';
import { IssuerQualityEntity } from '../quality/entities/issuer-quality.entity';
import { PlanQualityEntity } from '../quality/entities/plan-quality.entity';
import { ListingReportEntity } from '../reports/listing-report.entity';

/** Every entity, listed explicitly (no globs) so ts-node, jest and compiled builds agree. */
export const ENTITIES = [
  IssuerEntity,
  DatasetVersionEntity,
  PlanEntity,
  PlanDrugTierEntity,
  TierCostSharingEntity,
  ProviderEntity,
  ProviderAddressEntity,
  NetworkMembershipEntity,
  DrugEntity,
  FormularyEntryEntity,
  ApiKeyEntity,
  ImportJobEntity,
  DrugIngredientEntity,
  DrugPriceEntity,
  IssuerQualityEntity,
  PlanQualityEntity,
  ListingReportEntity,
];
