import { copyBoolean, copyIntArray, copyNumber, copyText, copyTextArray, ListLiterals, NumberTexts, YearListLiterals } from './copy-text';
import { DrugRecord, PlanRecord, ProviderRecord } from '../validate/qhp-records';
import { NetworkSets } from './network-sets';

/** A sink for COPY text rows of one table. */
export interface RowSink {
  writeRow(line: string): void;
}

/**
 * Renders records as COPY text rows, in the column order of the tables in qhp/version-tables.ts (the
 * general path; provider-bytes.ts renders the same rows from a record's bytes). `versionId` and file
 * names repeat on every row, so their encoded forms are computed once.
 */
export class RowRenderer {
  private readonly version: string;
  private sourceFile = '';
  private encodedSourceFile = '\\N';
  private readonly specialties = new ListLiterals();
  private readonly specialtyKeys = new ListLiterals((specialty) => specialty.toLowerCase());
  private readonly languages = new ListLiterals();
  private readonly latitudes = new NumberTexts();
  private readonly longitudes = new NumberTexts();
  private readonly years = new YearListLiterals();

  /** `sets`: shared with the byte renderer of the same thread, so a set's rows are written once. */
  constructor(
    versionId: number,
    private readonly sets = new NetworkSets(versionId),
  ) {
    this.version = `${versionId}\t`;
  }

  private source(file: string): string {
    if (file !== this.sourceFile) {
      this.sourceFile = file;
      this.encodedSourceFile = copyText(file);
    }
    return this.encodedSourceFile;
  }

  writePlan(plan: PlanRecord, plans: RowSink, tiers: RowSink, costSharing: RowSink): void {
    const id = `${this.version}${plan.planId}\t`;
    plans.writeRow(
      `${id}${plan.issuerId}\t${plan.state}\t${copyText(plan.planIdType)}\t${copyText(plan.marketingName)}\t${copyText(plan.metalLevel)}\t` +
        `${copyText(plan.summaryUrl)}\t${copyText(plan.marketingUrl)}\t${copyText(plan.formularyUrl)}\t${copyText(plan.planContact)}\t` +
        `${copyIntArray(plan.years)}\t${copyTextArray(plan.networkTiers)}\t${copyText(plan.benefitsJson)}\t${copyText(plan.lastUpdatedOn)}\t` +
        `${this.source(plan.sourceFile)}\t${plan.recordIndex}\n`,
    );
    for (const tier of plan.drugTiers) {
      const tierKey = `${id}${copyText(tier.drugTier)}\t`;
      tiers.writeRow(`${tierKey}${copyBoolean(tier.mailOrder)}\n`);
      for (const c of tier.costSharing) {
        costSharing.writeRow(
          `${tierKey}${c.pharmacyType}\t${copyNumber(c.copayAmount)}\t${copyText(c.copayOpt)}\t${copyNumber(c.coinsuranceRate)}\t${copyText(c.coinsuranceOpt)}\n`,
        );
      }
    }
  }

  /** The listing's rows; its plan list as a pointer to its network set (`networks`), the set's own rows (`networkSets`) once. */
  writeProvider(
    recordNo: number,
    provider: ProviderRecord,
    sourceFile: string,
    providers: RowSink,
    addresses: RowSink,
    networks: RowSink,
    networkSets: RowSink,
  ): void {
    const key = `${this.version}${recordNo}\t`;
    const npi = copyText(provider.npi);
    providers.writeRow(
      `${key}${npi}\t${provider.type}\t${copyText(provider.prefix)}\t${copyText(provider.firstName)}\t${copyText(provider.middleName)}\t` +
        `${copyText(provider.lastName)}\t${copyText(provider.suffix)}\t${copyText(provider.facilityName)}\t${copyText(provider.displayName)}\t` +
        `${this.specialties.of(provider.specialties)}\t${copyTextArray(provider.facilityTypes)}\t${copyText(provider.accepting)}\t` +
        `${copyText(provider.gender)}\t${this.languages.of(provider.languages)}\t${copyText(provider.lastUpdatedOn)}\t${this.source(sourceFile)}\t` +
        `${this.specialtyKeys.of(provider.specialties)}\n`,
    );
    for (let i = 0; i < provider.addresses.length; i++) {
      const a = provider.addresses[i];
      addresses.writeRow(
        `${key}${i}\t${copyText(a.address)}\t${copyText(a.address2)}\t${copyText(a.city)}\t${a.state}\t${a.zip}\t${copyText(a.phone)}\t` +
          `${this.latitudes.of(a.latitude)}\t${this.longitudes.of(a.longitude)}\n`,
      );
    }
    const set = this.sets.idOf(provider.networks);
    networks.writeRow(`${key}${npi}\t${set.id}\n`);
    if (set.rows) for (const row of set.rows) networkSets.writeRow(row);
  }

  writeDrug(drug: DrugRecord, sourceFile: string, recordIndex: number, drugs: RowSink, entries: RowSink): void {
    if (drug.isFirstOccurrence) {
      drugs.writeRow(`${this.version}${drug.rxnormId}\t${copyText(drug.drugName)}\t${this.source(sourceFile)}\t${recordIndex}\n`);
    }
    for (const e of drug.entries) {
      entries.writeRow(
        `${this.version}${e.planId}\t${drug.rxnormId}\t${copyText(e.drugTier)}\t${copyBoolean(e.priorAuthorization)}\t` +
          `${copyBoolean(e.stepTherapy)}\t${copyBoolean(e.quantityLimit)}\t${this.years.of(e.years)}\n`,
      );
    }
  }
}
