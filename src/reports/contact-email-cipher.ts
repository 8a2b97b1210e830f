import { Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppConfig, decodePersonalDataKey } from '../config/app-config';

/** Sealed values start with this: a format version, and a ':' that no (unquoted) email address begins with. */
const SEALED_PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Reporters' contact emails are personal data: stored sealed with AES-256-GCM, so a database dump or a
 * replica holds no readable address; only the API, holding PERSONAL_DATA_KEY, opens them for the carrier.
 * A value is `v1:` + base64url(iv | tag | ciphertext); each seal has a fresh random IV.
 */
export class ContactEmailCipher {
  private readonly logger = new Logger('ContactEmailCipher');

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the contact email key must be 32 bytes');
  }

  /**
   * The configured key (PERSONAL_DATA_KEY, which loadConfig requires in production); otherwise a key
   * generated once and kept next to the embedded database (mode 0600), so `npm start` needs no setup.
   */
  static fromConfig(config: Pick<AppConfig, 'personalDataKey' | 'embeddedDataDir'>): ContactEmailCipher {
    if (config.personalDataKey) return new ContactEmailCipher(config.personalDataKey);
    return new ContactEmailCipher(localDevelopmentKey(resolve(dirname(resolve(config.embeddedDataDir)), 'personal-data.key')));
  }

  /** What every sealed value starts with (values without it were stored in plain text by earlier versions). */
  static readonly SEALED_PREFIX = SEALED_PREFIX;

  static isSealed(value: string): boolean {
    return value.startsWith(SEALED_PREFIX);
  }

  seal(email: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(email, 'utf8'), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The email, or null when it was sealed with another key (logged once per call, without the value). */
  open(value: string | null): string | null {
    if (value === null) return null;
    if (!ContactEmailCipher.isSealed(value)) return value; // stored before sealing; sealed when the API starts
    const bytes = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      this.logger.warn('a contact email was sealed with another PERSONAL_DATA_KEY: it is returned as null');
      return null;
    }
  }
}

function localDevelopmentKey(path: string): Buffer {
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32);
  try {
    // 'wx': created only if absent, with mode 0600 (a umask can only make it stricter).
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    // Generated before (or by another process meanwhile): use that key.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return decodePersonalDataKey(readFileSync(path, 'utf8').trim(), path);
    throw error;
  }
}
