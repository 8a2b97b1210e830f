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
];
