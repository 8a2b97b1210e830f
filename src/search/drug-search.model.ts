import { ConnectionType } from '../common/pagination';
import { DrugCoverageModel, DrugModel } from '../formulary/models/drug.model';

/** Drugs by name or RXCUI, one per RXCUI across published formularies. */
export const DrugSearchConnection = ConnectionType(DrugModel, 'DrugSearchResult', { noun: 'drug' });

/** Plans covering a drug, each with its tier, restrictions and cost sharing (the drugCoverage answer). */
export const PlanDrugCoverageConnection = ConnectionType(DrugCoverageModel, 'PlanDrugCoverage', { noun: 'plan coverage' });
