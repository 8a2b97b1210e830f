import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Database } from '../database/database';

/** How long readiness waits for PostgreSQL before declaring the instance not ready. */
export const READY_DB_TIMEOUT_MS = 1_500;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Probes for load balancers and orchestrators; never rate limited. */
@SkipThrottle({ ip: true, apiKey: true })
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly typeOrm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly db: Database,
  ) {}

  /** Liveness: the process serves HTTP. Does not touch the database (a database outage must not restart every instance). */
  @Get('health')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the instance can answer queries, i.e. PostgreSQL (and its replicas) answer within a short timeout. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.typeOrm.pingCheck('database', { connection: this.db.dataSource, timeout: READY_DB_TIMEOUT_MS }),
      ...(this.db.hasReplicas ? [() => this.replicas()] : []),
    ]);
  }

  private async replicas(): Promise<HealthIndicatorResult<'replicas'>> {
    const check = this.indicators.check('replicas');
    const results = await this.db.pingReplicas((probe) => withTimeout(probe, READY_DB_TIMEOUT_MS, 'replica'));
    const down = results.flatMap((r, i) => (r.status === 'rejected' ? [`replica ${i + 1}: ${(r.reason as Error).message}`] : []));
    // Database.read retries on the primary when a replica is unreachable: the instance still serves, degraded.
    return check.up({ replicas: results.length, up: results.length - down.length, ...(down.length ? { errors: down } : {}) });
  }
}
