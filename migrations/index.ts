import { InitialSchema1700000000000 } from './1700000000000-InitialSchema';
import { ImportJobs1700000000100 } from './1700000000100-ImportJobs';
import { SearchIndexes1700000000200 } from './1700000000200-SearchIndexes';
import { TrustworthyAnswers1700000000300 } from './1700000000300-TrustworthyAnswers';
import { PartitionByVersion1700000000400 } from './1700000000400-PartitionByVersion';
import { SealedContactEmails1700000000500 } from './1700000000500-SealedContactEmails';
import { CheaperLoadIndexes1700000000600 } from './1700000000600-CheaperLoadIndexes';
import { MembershipsByListing1700000000700 } from './1700000000700-MembershipsByListing';
import { NpiSortsByBytes1700000000800 } from './1700000000800-NpiSortsByBytes';
import { FeedHealth1700000001000 } from './1700000001000-FeedHealth';
import { FeedJobQueue1700000001100 } from './1700000001100-FeedJobQueue';
import { LoadOutcomes1700000000910 } from './1700000000910-LoadOutcomes';
import { VersionNumbersPerIssuer1700000000970 } from './1700000000970-VersionNumbersPerIssuer';
import { ReadPartnerKeys1700000002000 } from './1700000002000-ReadPartnerKeys';
import { NetworkSets1700000003000 } from './1700000003000-NetworkSets';
import { UploadJobQueue1700000003100 } from './1700000003100-UploadJobQueue';
import { NetworkSetCounts1700000003200 } from './1700000003200-NetworkSetCounts';
import { NetworkSetSpecialtyCounts1700000003300 } from './1700000003300-NetworkSetSpecialtyCounts';
import { ReferenceDataVersions1700000003340 } from './1700000003340-ReferenceDataVersions';
import { ZipCounties1700000003400 } from './1700000003400-ZipCounties';

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
  LoadOutcomes1700000000910,
  VersionNumbersPerIssuer1700000000970,
  FeedHealth1700000001000,
  FeedJobQueue1700000001100,
  ReadPartnerKeys1700000002000,
  NetworkSets1700000003000,
  UploadJobQueue1700000003100,
  NetworkSetCounts1700000003200,
  NetworkSetSpecialtyCounts1700000003300,
  ReferenceDataVersions1700000003340,
  ZipCounties1700000003400,
];
