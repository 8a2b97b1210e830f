import { InitialSchema1700000000000 } from './1700000000000-InitialSchema';
import { ImportJobs1700000000100 } from './1700000000100-ImportJobs';
import { SearchIndexes1700000000200 } from './1700000000200-SearchIndexes';
import { TrustworthyAnswers1700000000300 } from './1700000000300-TrustworthyAnswers';
import { PartitionByVersion1700000000400 } from './1700000000400-PartitionByVersion';
import { SealedContactEmails1700000000500 } from './1700000000500-SealedContactEmails';
import { CheaperLoadIndexes1700000000600 } from './1700000000600-CheaperLoadIndexes';
import { MembershipsByListing1700000000700 } from './1700000000700-MembershipsByListing';
import { NpiSortsByBytes1700000000800 } from './1700000000800-NpiSortsByBytes';
import { ReadPartnerKeys1700000002000 } from './1700000002000-ReadPartnerKeys';

/** Every migration, in order. Listed explicitly so ts-node, jest and compiled builds load the same set. */
export const MIGRATIONS = [
  InitialSchema1700000000000,
  ImportJobs1700000000100,
  SearchIndexes1700000000200,
  TrustworthyAnswers1700000000300,
  PartitionByVersion1700000000400,
  SealedContactEmails1700000000500,
  CheaperLoadIndexes1700000000600,
  MembershipsByListing1700000000700,
  NpiSortsByBytes1700000000800,
  ReadPartnerKeys1700000002000,
];
