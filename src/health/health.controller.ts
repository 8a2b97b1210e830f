import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { hasReplicas } from '../database/read-query';

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
    @InjectDataSource() private readonly db: DataSource,
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
      () => this.typeOrm.pingCheck('database', { connection: this.db, timeout: READY_DB_TIMEOUT_MS }),
      ...(hasReplicas(this.db) ? [() => this.replicas()] : []),
    ]);
  }

  private async replicas(): Promise<HealthIndicatorResult<'replicas'>> {
    const check = this.indicators.check('replicas');
    const pools: Array<{ query(sql: string): Promise<unknown> }> = (this.db.driver as unknown as { slaves: any[] }).slaves ?? [];
    const results = await Promise.allSettled(pools.map((pool) => withTimeout(pool.query('SELECT 1'), READY_DB_TIMEOUT_MS, 'replica')));
    const down = results.flatMap((r, i) => (r.status === 'rejected' ? [`replica ${i + 1}: ${(r.reason as Error).message}`] : []));
    // readQuery() retries on the primary when a replica is unreachable: the instance still serves, degraded.
    return check.up({ replicas: pools.length, up: pools.length - down.length, ...(down.length ? { errors: down } : {}) });
  }
}
