import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { GraphQLError } from 'graphql';
import { Raw, Repository } from 'typeorm';
import { Database } from '../database/database';
import { ApiKeyPrincipal, mayLoadIssuer } from '../auth/api-key-principal';
import { issuerIdOfPlan } from '../common/identifiers';
import { Connection, decodeCursor, pageSize, toConnection } from '../common/pagination';
import {
  ListingReportCountModel,
  ListingReportModel,
  ListingReportReceiptModel,
  ListingReportResolution,
  ListingReportStatus,
} from './models/listing-report.model';
import { ContactEmailCipher } from './contact-email-cipher';
import { ListingReportEntity } from './listing-report.entity';
import { ReportListingInput } from './reports.args';

/** The published listing a report is about. */
interface ReportedListing {
  issuerId: string;
  versionId: number;
}

interface ListingReportRow extends ListingReportModel {
  /** created_at with microseconds, for an exact keyset cursor (a JS Date keeps milliseconds only). */
  cursorTime: string;
}

const RECEIPT_COLUMNS = `r.id, r.npi, r.issuer_id AS "issuerId", r.plan_id AS "planId", r.kind, r.status, r.created_at AS "createdAt"`;
const CARRIER_COLUMNS = `${RECEIPT_COLUMNS}, r.details, r.contact_email AS "contactEmail", r.listing_version_id AS "listingVersionId",
  r.resolution_note AS "resolutionNote", r.resolved_by AS "resolvedBy", r.resolved_at AS "resolvedAt",
  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorTime"`;

function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

function forbidden(key: ApiKeyPrincipal, issuerId: string): GraphQLError {
  const scope = key.issuerIds.length ? `issuers ${key.issuerIds.join(', ')}` : 'no issuers';
  return new GraphQLError(`API key ${key.keyPrefix}… may read reports of ${scope}, not of ${issuerId}`, {
    extensions: { code: 'FORBIDDEN' },
  });
}

/**
 * Members' reports of wrong directory listings: filed publicly against a published listing, read and
 * resolved only by that listing's carrier (API key scoped to the issuer), counted publicly without
 * personal data. The contact email is stored sealed (ContactEmailCipher), never logged, and opened only
 * for the carrier's view.
 */
@Injectable()
export class ListingReportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ListingReports');

  constructor(
    private readonly db: Database,
    @InjectRepository(ListingReportEntity) private readonly reports: Repository<ListingReportEntity>,
    private readonly emails: ContactEmailCipher,
  ) {}

  /** Seals contact emails stored before they were sealed (in plain text by earlier versions). */
  async onApplicationBootstrap(): Promise<void> {
    const plain = await this.reports.find({
      select: { id: true, contactEmail: true },
      where: { contactEmail: Raw((column) => `${column} IS NOT NULL AND NOT starts_with(${column}, :prefix)`, { prefix: ContactEmailCipher.SEALED_PREFIX }) },
    });
    for (const { id, contactEmail: email } of plain) {
      // Compare-and-set: a concurrent instance sealing the same row leaves it sealed once.
      await this.reports.update({ id, contactEmail: email! }, { contactEmail: this.emails.seal(email!) });
    }
    if (plain.length) this.logger.log(`sealed ${plain.length} contact email(s) stored in plain text`);
  }

  /** A carrier's view of a report row: the contact email opened. */
  private forCarrier<T extends { contactEmail: string | null }>(row: T): T {
    return { ...row, contactEmail: this.emails.open(row.contactEmail) };
  }

  async file(input: ReportListingInput): Promise<ListingReportReceiptModel> {
    const listing = await this.findReportedListing(input);
    const [receipt]: ListingReportReceiptModel[] = await this.db.query(
      `INSERT INTO listing_report AS r (npi, issuer_id, plan_id, kind, details, contact_email, listing_version_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING ${RECEIPT_COLUMNS}`,
      [
        input.npi,
        listing.issuerId,
        input.planId ?? null,
        input.kind,
        input.details.trim(),
        input.contactEmail?.trim() ? this.emails.seal(input.contactEmail.trim()) : null,
        listing.versionId,
      ],
    );
    return receipt;
  }

  /**
   * The published listing the reporter saw: in the plan's network when a plan is named, else in the
   * issuer's directory, else the one issuer that lists the NPI. Refuses clearly when there is none.
   */
  private async findReportedListing({ npi, planId, issuerId }: ReportListingInput): Promise<ReportedListing> {
    if (planId) {
      const planIssuer = issuerIdOfPlan(planId);
      if (issuerId && issuerId !== planIssuer) {
        throw badInput(`plan ${planId} belongs to issuer ${planIssuer}, not ${issuerId}`, 'issuerId');
      }
      const [member]: ReportedListing[] = await this.db.read(
        `SELECT i.issuer_id AS "issuerId", m.version_id AS "versionId"
           FROM provider p
           JOIN issuer i ON i.current_version_id = p.version_id
           JOIN network_membership m ON m.version_id = p.version_id AND m.record_no = p.record_no
          WHERE p.npi = $1 AND m.plan_id = $2
          LIMIT 1`,
        [npi, planId],
      );
      if (!member) throw badInput(`NPI ${npi} is not listed in the published directory of plan ${planId}: there is no listing to report`, 'npi');
      return member;
    }
    const listers: ReportedListing[] = await this.db.read(
      `SELECT DISTINCT i.issuer_id AS "issuerId", p.version_id AS "versionId"
         FROM provider p JOIN issuer i ON i.current_version_id = p.version_id
        WHERE p.npi = $1 AND ($2::char(5) IS NULL OR i.issuer_id = $2)
        ORDER BY 1`,
      [npi, issuerId ?? null],
    );
    if (!listers.length) {
      const where = issuerId ? `issuer ${issuerId}'s published directory` : 'any published directory';
      throw badInput(`NPI ${npi} is not listed in ${where}: there is no listing to report`, 'npi');
    }
    if (listers.length > 1) {
      throw badInput(
        `NPI ${npi} is listed by issuers ${listers.map((l) => l.issuerId).join(', ')}: say which listing is wrong with planId or issuerId`,
        'planId',
      );
    }
    return listers[0];
  }

  /** A carrier's reports, newest first; the key must be scoped to the issuer (or be an admin key). */
  async listForCarrier(
    key: ApiKeyPrincipal,
    issuerId: string,
    status: ListingReportStatus | null | undefined,
    first?: number | null,
    after?: string | null,
  ): Promise<Connection<ListingReportModel>> {
    if (!mayLoadIssuer(key, issuerId)) throw forbidden(key, issuerId);
    const limit = pageSize(first);
    const cursor = decodeCursor<[string, string]>(after);
    if (cursor && (!Array.isArray(cursor) || cursor.length !== 2)) {
      throw badInput('Invalid cursor: pass an endCursor returned by a previous page', 'after');
    }
    const [rows, [{ total }]]: [ListingReportRow[], Array<{ total: number }>] = await Promise.all([
      this.db.query(
        `SELECT ${CARRIER_COLUMNS}
           FROM listing_report r
          WHERE r.issuer_id = $1 AND ($2::text IS NULL OR r.status = $2)
            AND ($3::timestamptz IS NULL OR (r.created_at, r.id) < ($3::timestamptz, $4::uuid))
          ORDER BY r.created_at DESC, r.id DESC
          LIMIT $5`,
        [issuerId, status ?? null, cursor?.[0] ?? null, cursor?.[1] ?? null, limit + 1],
      ),
      this.db.query(`SELECT count(*)::int AS total FROM listing_report r WHERE r.issuer_id = $1 AND ($2::text IS NULL OR r.status = $2)`, [
        issuerId,
        status ?? null,
      ]),
    ]);
    return toConnection(
      rows.map((row) => this.forCarrier(row)),
      limit,
      (row) => [row.cursorTime, row.id],
      total,
    );
  }

  /** Closes (or re-closes) a report of the key's issuer, recording which key did it. */
  async resolve(key: ApiKeyPrincipal, id: string, resolution: ListingReportResolution, note?: string | null): Promise<ListingReportModel> {
    const report = await this.reports.findOne({ select: { issuerId: true }, where: { id } });
    if (!report) throw new GraphQLError(`No listing report has the id ${id}`, { extensions: { code: 'NOT_FOUND' } });
    if (!mayLoadIssuer(key, report.issuerId)) throw forbidden(key, report.issuerId);
    // TypeORM returns [rows, affected count] for UPDATE ... RETURNING.
    const [[updated]]: [ListingReportRow[], number] = await this.db.query(
      `UPDATE listing_report r
          SET status = $2, resolution_note = $3, resolved_by = $4, resolved_at = now()
        WHERE r.id = $1
        RETURNING ${CARRIER_COLUMNS}`,
      [id, resolution, note?.trim() || null, key.label],
    );
    return this.forCarrier(updated);
  }

  /** Public counts by issuer, plan, kind and status (no report content, no personal data). */
  counts(issuerId?: string | null, planId?: string | null): Promise<ListingReportCountModel[]> {
    // A plan id starts with its issuer id: filtering on both lets listing_report_counts_idx serve plan queries.
    const issuerFilter = issuerId ?? (planId ? issuerIdOfPlan(planId) : null);
    return this.db.read(
      `SELECT r.issuer_id AS "issuerId", r.plan_id AS "planId", r.kind, r.status, count(*)::int AS count
         FROM listing_report r
        WHERE ($1::char(5) IS NULL OR r.issuer_id = $1) AND ($2::char(14) IS NULL OR r.plan_id = $2)
        GROUP BY r.issuer_id, r.plan_id, r.kind, r.status
        ORDER BY r.issuer_id, r.plan_id NULLS FIRST, r.kind, r.status`,
      [issuerFilter, planId ?? null],
    );
  }
}
