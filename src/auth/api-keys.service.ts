import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { FindOptionsSelect, IsNull, Raw, Repository } from 'typeorm';
import { ISSUER_ID_PATTERN } from '../common/identifiers';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeyPrincipal } from './api-key-principal';
import { API_KEY_PREFIX, generateApiKey, hashApiKey } from './api-key-secret';

/** A key as listed to operators: everything but the secret. */
export interface ApiKeySummary extends ApiKeyPrincipal {
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface CreateApiKeyInput {
  label: string;
  issuerIds: string[];
  isAdmin?: boolean;
  /** A read-partner key for this plan-shopping site (no issuers, no admin rights); the label defaults to it. */
  partner?: string | null;
  /** Requests per rate-limit window for this key (0: unlimited); default RATE_LIMIT_PER_API_KEY. */
  rateLimit?: number | null;
}

/** Requests a key made on one UTC day. */
export interface ApiKeyUsageDay {
  day: string;
  requests: number;
}

export interface CreatedApiKey {
  apiKey: ApiKeySummary;
  /** The only time the key exists in clear: show it to its owner, never store or log it. */
  plainKey: string;
}

/** A request an operator can fix (bad issuer id, unknown key...), as opposed to a failure. */
export class ApiKeyInputError extends Error {}

/** Keys longer than this are not ours; refusing them early avoids hashing megabytes of header. */
const MAX_KEY_LENGTH = 128;
/** last_used_at is a hint for operators, not an audit log: write it at most this often per key. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Everything but the hash. */
const SUMMARY_COLUMNS: FindOptionsSelect<ApiKeyEntity> = {
  id: true,
  label: true,
  keyPrefix: true,
  issuerIds: true,
  isAdmin: true,
  partner: true,
  rateLimit: true,
  createdAt: true,
  revokedAt: true,
  lastUsedAt: true,
};

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>) {}

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const partner = input.partner?.trim() || null;
    if (input.partner !== undefined && input.partner !== null && !partner) throw new ApiKeyInputError('--partner needs the name of the plan-shopping site');
    const label = input.label.trim() || partner || '';
    const issuerIds = [...new Set(input.issuerIds.map((id) => id.trim()))];
    const rateLimit = input.rateLimit ?? null;
    if (!label) throw new ApiKeyInputError('a key needs a label saying who holds it, e.g. --label "Buckeye uploads"');
    if (rateLimit !== null && !(Number.isSafeInteger(rateLimit) && rateLimit >= 0)) {
      throw new ApiKeyInputError(`--rate-limit must be a whole number of requests per window, 0 for no limit (got ${rateLimit})`);
    }
    if (partner) {
      // A partner reads public answers; it never loads data.
      if (issuerIds.length || input.isAdmin) throw new ApiKeyInputError('a read-partner key cannot have issuers or admin rights');
    } else {
      const invalid = issuerIds.filter((id) => !ISSUER_ID_PATTERN.test(id));
      if (invalid.length) throw new ApiKeyInputError(`issuer ids must be 5 digits (got ${invalid.map((id) => `"${id}"`).join(', ')})`);
      if (!issuerIds.length && !input.isAdmin) throw new ApiKeyInputError('a key needs at least one issuer id (or admin rights), or --partner <name>');
    }

    const { plainKey, keyPrefix, keyHash } = generateApiKey();
    const id = randomUUID();
    await this.keys.insert({ id, label, keyPrefix, keyHash, issuerIds, isAdmin: input.isAdmin ?? false, partner, rateLimit });
    return { apiKey: await this.keys.findOneOrFail({ select: SUMMARY_COLUMNS, where: { id } }), plainKey };
  }

  async list(): Promise<ApiKeySummary[]> {
    return this.keys.find({ select: SUMMARY_COLUMNS, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Revokes the key with this id or visible prefix (e.g. "cov_AbCd1234"); revoking twice is harmless. */
  async revoke(idOrPrefix: string): Promise<ApiKeySummary> {
    const key = await this.findOne(idOrPrefix.trim().replace(/…$/, ''));
    // Only a key not yet revoked gets a revocation time: revoking twice keeps the first.
    await this.keys.update({ id: key.id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
    return this.keys.findOneOrFail({ select: SUMMARY_COLUMNS, where: { id: key.id } });
  }

  /** The active key matching `plainKey`, or null when it is unknown or revoked. */
  async verify(plainKey: string): Promise<ApiKeyPrincipal | null> {
    if (!plainKey.startsWith(API_KEY_PREFIX) || plainKey.length > MAX_KEY_LENGTH) return null;
    // Looking up by hash leaks nothing through timing: the attacker cannot steer which hash is compared.
    const row = await this.keys.findOne({
      select: { id: true, label: true, keyPrefix: true, issuerIds: true, isAdmin: true, partner: true, rateLimit: true, lastUsedAt: true },
      where: { keyHash: hashApiKey(plainKey), revokedAt: IsNull() },
    });
    if (!row) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update(row.id, { lastUsedAt: () => 'now()' });
    }
    return {
      id: row.id,
      label: row.label,
      keyPrefix: row.keyPrefix,
      issuerIds: row.issuerIds,
      isAdmin: row.isAdmin,
      partner: row.partner,
      rateLimit: row.rateLimit,
    };
  }

  /** Requests per UTC day of the key with this id or prefix over the last `days` days (newest first, days without requests left out). */
  async usage(idOrPrefix: string, days = 7): Promise<{ apiKey: ApiKeySummary; days: ApiKeyUsageDay[] }> {
    const apiKey = await this.findOne(idOrPrefix.trim().replace(/…$/, ''));
    const rows: Array<{ day: string; requests: string }> = await this.keys.manager.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, requests FROM api_key_usage
        WHERE api_key_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int ORDER BY day DESC`,
      [apiKey.id, days],
    );
    return { apiKey, days: rows.map((r) => ({ day: r.day, requests: Number(r.requests) })) };
  }

  private async findOne(idOrPrefix: string): Promise<ApiKeySummary> {
    if (!idOrPrefix) throw new ApiKeyInputError('name the key by its id or its prefix (see `list`)');
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
    const matches: ApiKeySummary[] = isUuid
      ? await this.keys.find({ select: SUMMARY_COLUMNS, where: { id: idOrPrefix } })
      : await this.keys.find({
          select: SUMMARY_COLUMNS,
          where: { keyPrefix: Raw((column) => `starts_with(${column}, :prefix)`, { prefix: idOrPrefix }) },
          order: { createdAt: 'ASC' },
          take: 10,
        });
    if (!matches.length) throw new ApiKeyInputError(`no API key has the id or prefix "${idOrPrefix}"`);
    if (matches.length > 1) {
      throw new ApiKeyInputError(
        `"${idOrPrefix}" matches ${matches.length} keys (${matches.map((k) => `${k.keyPrefix}… ${k.label}`).join('; ')}): give more of the prefix or the id`,
      );
    }
    return matches[0];
  }
}
