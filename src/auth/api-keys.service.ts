import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { randomUUID } from 'node:crypto';
import { ISSUER_ID_PATTERN } from '../common/identifiers';
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

const SUMMARY_COLUMNS = `id, label, key_prefix AS "keyPrefix", issuer_ids AS "issuerIds", is_admin AS "isAdmin",
  created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

@Injectable()
export class ApiKeysService {
  constructor(private readonly db: Database) {}

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const label = input.label.trim();
    const issuerIds = [...new Set(input.issuerIds.map((id) => id.trim()))];
    if (!label) throw new ApiKeyInputError('a key needs a label saying who holds it, e.g. --label "Buckeye uploads"');
    const invalid = issuerIds.filter((id) => !ISSUER_ID_PATTERN.test(id));
    if (invalid.length) throw new ApiKeyInputError(`issuer ids must be 5 digits (got ${invalid.map((id) => `"${id}"`).join(', ')})`);
    if (!issuerIds.length && !input.isAdmin) throw new ApiKeyInputError('a key needs at least one issuer id (or admin rights)');

    const { plainKey, keyPrefix, keyHash } = generateApiKey();
    const [apiKey]: ApiKeySummary[] = await this.db.query(
      `INSERT INTO api_key (id, label, key_prefix, key_hash, issuer_ids, is_admin)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${SUMMARY_COLUMNS}`,
      [randomUUID(), label, keyPrefix, keyHash, issuerIds, input.isAdmin ?? false],
    );
    return { apiKey, plainKey };
  }

  async list(): Promise<ApiKeySummary[]> {
    return this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM api_key ORDER BY created_at, id`);
  }

  /** Revokes the key with this id or visible prefix (e.g. "cov_AbCd1234"); revoking twice is harmless. */
  async revoke(idOrPrefix: string): Promise<ApiKeySummary> {
    const key = await this.findOne(idOrPrefix.trim().replace(/…$/, ''));
    // TypeORM answers an UPDATE with [rows, affected count].
    const [[revoked]]: [ApiKeySummary[], number] = await this.db.query(
      `UPDATE api_key SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${SUMMARY_COLUMNS}`,
      [key.id],
    );
    return revoked;
  }

  /** The active key matching `plainKey`, or null when it is unknown or revoked. */
  async verify(plainKey: string): Promise<ApiKeyPrincipal | null> {
    if (!plainKey.startsWith(API_KEY_PREFIX) || plainKey.length > MAX_KEY_LENGTH) return null;
    // Looking up by hash leaks nothing through timing: the attacker cannot steer which hash is compared.
    const [row]: Array<ApiKeyPrincipal & { lastUsedAt: Date | null }> = await this.db.query(
      `SELECT id, label, key_prefix AS "keyPrefix", issuer_ids AS "issuerIds", is_admin AS "isAdmin", last_used_at AS "lastUsedAt"
         FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hashApiKey(plainKey)],
    );
    if (!row) return null;
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1`, [row.id]);
    }
    const { lastUsedAt, ...principal } = row;
    void lastUsedAt;
    return principal;
  }

  private async findOne(idOrPrefix: string): Promise<ApiKeySummary> {
    if (!idOrPrefix) throw new ApiKeyInputError('name the key to revoke by its id or its prefix (see `list`)');
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
    const matches: ApiKeySummary[] = isUuid
      ? await this.db.query(`SELECT ${SUMMARY_COLUMNS} FROM api_key WHERE id = $1`, [idOrPrefix])
      : await this.db.query(
          `SELECT ${SUMMARY_COLUMNS} FROM api_key WHERE starts_with(key_prefix, $1) ORDER BY created_at LIMIT 10`,
          [idOrPrefix],
        );
    if (!matches.length) throw new ApiKeyInputError(`no API key has the id or prefix "${idOrPrefix}"`);
    if (matches.length > 1) {
      throw new ApiKeyInputError(
        `"${idOrPrefix}" matches ${matches.length} keys (${matches.map((k) => `${k.keyPrefix}… ${k.label}`).join('; ')}): give more of the prefix or the id`,
      );
    }
    return matches[0];
  }
}
