import { Controller, Get, Query, Res } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { FeedsService } from './feeds.service';

const COLUMNS = [
  'issuer_id',
  'issuer_name',
  'state',
  'index_url',
  'feed_status',
  'feed_outcome',
  'feed_error',
  'last_checked_at',
  'broken_since',
  'content_changed_at',
  'days_since_content_changed',
  'url',
  'kind',
  'listed',
  'ok',
  'http_status',
  'bytes',
  'content_type',
  'download_ms',
  'changed',
  'etag',
  'last_modified',
  'error_code',
  'error',
  'byte_offset',
  'json_path',
  'records_rejected',
  'validation_summary',
  'file_content_changed_at',
];

const iso = (date: Date | null) => (date ? date.toISOString() : '');

/** Feed health as CSV: one row per URL of every feed (a feed never checked has one row without a URL). */
@Controller('export')
export class FeedsExportController {
  constructor(private readonly feeds: FeedsService) {}

  @Get('feeds.csv')
  async feedsCsv(@Query('brokenOnly') brokenOnly: string | undefined, @Res() res: Response) {
    const feeds = await this.feeds.feeds(brokenOnly === 'true' || brokenOnly === '1');
    const files = await this.feeds.filesOf(feeds.map((feed) => feed.issuerId));
    const rows: unknown[][] = [];
    feeds.forEach((feed, i) => {
      const head = [
        feed.issuerId,
        feed.issuerName ?? '',
        feed.state ?? '',
        feed.indexUrl,
        feed.status,
        feed.outcome ?? '',
        feed.error ?? '',
        iso(feed.lastCheckedAt),
        iso(feed.brokenSince),
        iso(feed.contentChangedAt),
        feed.daysSinceContentChanged ?? '',
      ];
      if (!files[i].length) rows.push([...head, ...new Array(COLUMNS.length - head.length).fill('')]);
      for (const file of files[i]) {
        rows.push([
          ...head,
          file.url,
          file.kind,
          file.listed,
          file.ok ?? '',
          file.httpStatus ?? '',
          file.bytes ?? '',
          file.contentType ?? '',
          file.downloadMs ?? '',
          file.changed ?? '',
          file.etag ?? '',
          file.lastModified ?? '',
          file.errorCode ?? '',
          file.error ?? '',
          file.byteOffset ?? '',
          file.jsonPath ?? '',
          file.recordsRejected ?? '',
          file.validationSummary ?? '',
          iso(file.contentChangedAt),
        ]);
      }
    });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="feeds.csv"');
    res.send(stringify([COLUMNS, ...rows], { cast: { boolean: (value) => String(value) } }));
  }
}
