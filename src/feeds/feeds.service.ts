import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { FeedConfig } from '../config/app-config';
import { daysSince } from '../quality/days-since';
import { FeedFetcher } from './feed-fetcher';
import { FeedFileRow, FeedRow } from './feed-store';
import { FeedFileModel, FeedModel } from './feed.models';

export const FEED_CONFIG = Symbol('FEED_CONFIG');

export function toFeedModel(row: FeedRow): FeedModel {
  return { ...row, broken: row.status === 'broken', daysSinceContentChanged: daysSince(row.contentChangedAt) };
}

export function toFeedFileModel(row: FeedFileRow): FeedFileModel {
  return { ...row, daysSinceContentChanged: daysSince(row.contentChangedAt) };
}

/** The feed fetcher of this instance and the health records, for GraphQL, the CSV export and the schedule. */
@Injectable()
export class FeedsService implements OnModuleDestroy {
  readonly fetcher: FeedFetcher;

  constructor(
    @InjectDataSource() db: DataSource,
    @Inject(FEED_CONFIG) readonly config: FeedConfig,
  ) {
    this.fetcher = new FeedFetcher(db, config, { loadedBy: 'feed-refresh' });
  }

  async onModuleDestroy(): Promise<void> {
    await this.fetcher.close();
  }

  async feeds(brokenOnly = false): Promise<FeedModel[]> {
    return (await this.fetcher.store.feeds({ brokenOnly })).map(toFeedModel);
  }

  async feedsOf(issuerIds: readonly string[]): Promise<Array<FeedModel | null>> {
    const rows = await this.fetcher.store.feeds({ issuerIds });
    return issuerIds.map((id) => {
      const row = rows.find((feed) => feed.issuerId === id);
      return row ? toFeedModel(row) : null;
    });
  }

  async filesOf(issuerIds: readonly string[]): Promise<FeedFileModel[][]> {
    const rows = await this.fetcher.store.files(issuerIds);
    return issuerIds.map((id) => rows.filter((row) => row.issuerId === id).map(toFeedFileModel));
  }
}
