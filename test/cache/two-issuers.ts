import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { withNpiCheckDigit } from '../../src/common/identifiers';
import { AnswerFastPath } from '../../src/graphql/answer-fast-path';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Two issuers read by no other test, each published again and again: every publish renames the issuer's
 * plan and its doctor (`… v<n>`), so an answer read from a replaced version is told from a current one.
 * Issuer A (49494, Wyoming) lists DOCTOR_A; issuer B (43434, North Dakota) lists DOCTOR_B. Both cover
 * atorvastatin (RXCUI 617310) under the same name.
 */
export const A = { issuerId: '49494', planId: '49494WY0010001', state: 'WY', doctor: withNpiCheckDigit(494940001), last: 'Ashford' };
export const B = { issuerId: '43434', planId: '43434ND0010001', state: 'ND', doctor: withNpiCheckDigit(434340001), last: 'Brandt' };
export const RXCUI = '617310';
export type Issuer = typeof A;

/**
 * Runs a write that announces itself on the publish channel, and resolves once the fast path heard it: a
 * request sent between a commit and the notification's arrival may still get the previous answer (as
 * documented), which is not what the tests after a publish are about.
 */
export async function announced<T>(fastPath: AnswerFastPath | undefined, write: () => Promise<T>): Promise<T> {
  const before = fastPath?.generation();
  const result = await write();
  for (let i = 0; fastPath && i < 500 && fastPath.generation() === before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return result;
}

export class TwoIssuers {
  private readonly folder = mkdtempSync(join(tmpdir(), 'two-issuers-'));
  private readonly published = new Map<string, number>();
  /**
   * Variants start past any earlier test's of the same run (they share the database): loading the content
   * already published would publish nothing.
   */
  private readonly base = Date.now() % 1_000_000_000;

  /** `fastPath`: the app's, for publishes to resolve once it heard them. */
  constructor(
    private readonly db: DataSource,
    private readonly fastPath?: AnswerFastPath,
  ) {}

  /** The variant number of the issuer's version published last by this instance. */
  variant(issuer: Issuer): number {
    return this.published.get(issuer.issuerId) ?? this.base;
  }

  /** Publishes a new version of the issuer (plan and doctor renamed `v<n+1>`), naming RXCUI as `drugName`. */
  async publish(issuer: Issuer, drugName = 'atorvastatin 20 MG Oral Tablet'): Promise<number> {
    const variant = this.variant(issuer) + 1;
    const dir = join(this.folder, `${issuer.issuerId}-${variant}`);
    mkdirSync(dir);
    const plan = { plan_id_type: 'HIOS-PLAN-ID', plan_id: issuer.planId, network_tier: 'PREFERRED', years: [2026] };
    writeFileSync(
      join(dir, 'plans.json'),
      JSON.stringify([
        {
          plan_id_type: 'HIOS-PLAN-ID',
          plan_id: issuer.planId,
          marketing_name: `${issuer.last} Health Silver v${variant}`,
          summary_url: 'https://example.org/summary',
          plan_contact: 'plans@example.org',
          years: [2026],
          last_updated_on: '2025-12-01',
          network: [{ network_tier: 'PREFERRED' }],
          formulary: [
            {
              drug_tier: 'GENERIC',
              mail_order: false,
              cost_sharing: [
                { pharmacy_type: '1-MONTH-IN-RETAIL', copay_amount: 10, copay_opt: 'AFTER-DEDUCTIBLE', coinsurance_rate: 0, coinsurance_opt: null },
              ],
            },
          ],
        },
      ]),
    );
    writeFileSync(
      join(dir, 'providers.json'),
      JSON.stringify([
        {
          npi: issuer.doctor,
          type: 'INDIVIDUAL',
          name: { first: 'Dana', last: `${issuer.last} v${variant}` },
          addresses: [{ address: '1 Main St', city: 'Capital', state: issuer.state, zip: issuer.state === 'WY' ? '82001' : '58501', phone: '3075550100' }],
          speciality: ['Family Medicine'],
          accepting: 'accepting',
          languages: ['English'],
          last_updated_on: '2025-12-01',
          plans: [plan],
        },
      ]),
    );
    writeFileSync(
      join(dir, 'drugs.json'),
      JSON.stringify([
        {
          rxnorm_id: RXCUI,
          drug_name: drugName,
          plans: [
            {
              plan_id_type: 'HIOS-PLAN-ID',
              plan_id: issuer.planId,
              drug_tier: 'GENERIC',
              prior_authorization: false,
              step_therapy: false,
              quantity_limit: false,
              years: [2026],
            },
          ],
        },
      ]),
    );
    const result = await announced(this.fastPath, () =>
      new QhpImporter(this.db).import({
        issuerId: issuer.issuerId,
        issuerName: `${issuer.last} Health`,
        paths: ['plans.json', 'providers.json', 'drugs.json'].map((file) => join(dir, file)),
        source: 'test',
        loadedBy: 'test',
      }),
    );
    if (result.status !== 'published') throw new Error(`fixture load did not publish: ${JSON.stringify(result)}`);
    this.published.set(issuer.issuerId, variant);
    return variant;
  }

  remove(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }
}

/** A test app with both issuers published (their first versions), for a `beforeAll`. */
export async function startWithTwoIssuers(options?: Parameters<typeof startTestApp>[0]): Promise<{ t: TestApp; issuers: TwoIssuers }> {
  const t = await startTestApp(options);
  const issuers = new TwoIssuers(t.db, t.app.get(AnswerFastPath));
  await issuers.publish(A);
  await issuers.publish(B);
  return { t, issuers };
}

/** The `afterAll` of `startWithTwoIssuers`: the issuers' files go, then the app. */
export async function stopWithTwoIssuers(t: TestApp | undefined, issuers: TwoIssuers | undefined): Promise<void> {
  issuers?.remove();
  await t?.close();
}
