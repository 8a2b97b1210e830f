import { CanActivate, ExecutionContext, Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GqlExecutionContext } from '@nestjs/graphql';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { Request } from 'express';
import { GraphQLError } from 'graphql';
import { RATE_LIMITED } from '../common/rate-limit';

const WINDOW_MS = 60_000;

/**
 * A strict per-IP limit on the public reportListing mutation, far below the API-wide limit: filing a
 * report is cheap for a bot and costly for the carriers who read them.
 *
 * It counts in the global ThrottlerModule's storage (Redis-shared across instances when configured)
 * under its own key, rather than via @Throttle, because the API-wide RateLimitGuard keys one counter per
 * client for the whole API and counts one hit per HTTP request: @Throttle there would charge every
 * other request against this limit, and a single operation aliasing reportListing 100 times would count
 * once. This guard runs per field, so each aliased report counts, and before validation, so malformed
 * attempts count too.
 */
@Injectable()
export class ReportRateLimitGuard implements CanActivate, OnApplicationShutdown {
  /** REPORT_RATE_LIMIT_PER_MINUTE: reports one client IP may file per minute (0 turns this limit off). */
  private readonly limit: number;
  private readonly ownStorage: ThrottlerStorageService | null;
  private readonly storage: ThrottlerStorage;

  constructor(config: ConfigService, @Optional() @Inject(ThrottlerStorage) sharedStorage?: ThrottlerStorage) {
    this.limit = config.getOrThrow<number>('reportsPerMinute');
    this.ownStorage = sharedStorage ? null : new ThrottlerStorageService();
    this.storage = sharedStorage ?? this.ownStorage!;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.limit === 0) return true;
    const req = GqlExecutionContext.create(context).getContext<{ req: Request }>().req;
    const ip = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
    const record = await this.storage.increment(`rl:report:${ip}`, WINDOW_MS, this.limit, WINDOW_MS, 'report');
    if (record.isBlocked) {
      const retryAfterSeconds = Math.max(1, record.timeToBlockExpire);
      throw new GraphQLError(`Too many listing reports from your address: at most ${this.limit} per minute. Try again in ${retryAfterSeconds} s.`, {
        extensions: { code: RATE_LIMITED, retryAfterSeconds, limit: this.limit, windowSeconds: WINDOW_MS / 1000 },
      });
    }
    return true;
  }

  onApplicationShutdown(): void {
    this.ownStorage?.onApplicationShutdown();
  }
}
