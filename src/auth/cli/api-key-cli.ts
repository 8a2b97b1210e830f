import 'reflect-metadata';
import { CliDatabase, withCliDatabase } from '../../database/cli-database';
import { ApiKeyEntity } from '../api-key.entity';
import { ApiKeyInputError, ApiKeysService, ApiKeySummary } from '../api-keys.service';

const USAGE = `Usage:
  npm run api-key -- create --issuer 10001 [--issuer 10002] --label "Buckeye uploads" [--admin] [--rate-limit N]
  npm run api-key -- create --partner "ShopCo" [--label "ShopCo production"] [--rate-limit N]
  npm run api-key -- revoke <key id or prefix, e.g. cov_AbCd1234>
  npm run api-key -- usage <key id or prefix> [--days N]
  npm run api-key -- list`;

export class CliUsageError extends Error {}

export type ApiKeyCommand =
  | { name: 'create'; label: string; issuerIds: string[]; isAdmin: boolean; partner?: string; rateLimit?: number }
  | { name: 'revoke'; idOrPrefix: string }
  | { name: 'usage'; idOrPrefix: string; days: number }
  | { name: 'list' };

function wholeNumber(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CliUsageError(`${option} needs a whole number (got "${value}")`);
  return n;
}

export function parseApiKeyCommand(argv: string[]): ApiKeyCommand {
  const [name, ...rest] = argv;
  if (name === 'list' && rest.length === 0) return { name };
  if (name === 'revoke' && rest.length === 1) return { name, idOrPrefix: rest[0] };
  if (name === 'usage' && (rest.length === 1 || (rest.length === 3 && rest[1] === '--days'))) {
    return { name, idOrPrefix: rest[0], days: rest.length === 3 ? wholeNumber('--days', rest[2]) : 7 };
  }
  if (name === 'create') {
    const issuerIds: string[] = [];
    let label = '';
    let isAdmin = false;
    let partner: string | undefined;
    let rateLimit: number | undefined;
    for (let i = 0; i < rest.length; i++) {
      const option = rest[i];
      const value = rest[i + 1];
      if (option === '--admin') isAdmin = true;
      else if (['--issuer', '--label', '--partner', '--rate-limit'].includes(option) && value !== undefined && !value.startsWith('--')) {
        if (option === '--issuer') issuerIds.push(...value.split(','));
        else if (option === '--label') label = value;
        else if (option === '--partner') partner = value;
        else rateLimit = wholeNumber(option, value);
        i++;
      } else throw new CliUsageError(`unexpected argument "${option}"`);
    }
    return { name, label, issuerIds, isAdmin, ...(partner !== undefined ? { partner } : {}), ...(rateLimit !== undefined ? { rateLimit } : {}) };
  }
  throw new CliUsageError(name ? `unknown command or arguments: ${argv.join(' ')}` : 'no command given');
}

function describeKey(key: ApiKeySummary): string {
  const scope = key.partner ? `read partner ${key.partner}` : key.isAdmin ? 'admin (all issuers)' : `issuers ${key.issuerIds.join(', ')}`;
  const limit = key.rateLimit === null ? '' : key.rateLimit === 0 ? '  no rate limit' : `  rate limit ${key.rateLimit}`;
  const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
  const used = key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used';
  return `${key.id}  ${key.keyPrefix}…  "${key.label}"  ${scope}${limit}  ${state}, ${used}`;
}

/** Runs one command; `print` receives the lines meant for the operator (the new key is printed once). */
export async function runApiKeyCommand(command: ApiKeyCommand, apiKeys: ApiKeysService, print: (line: string) => void): Promise<void> {
  switch (command.name) {
    case 'create': {
      const { apiKey, plainKey } = await apiKeys.create(command);
      print(`Created ${describeKey(apiKey)}`);
      print('');
      print(`  ${plainKey}`);
      print('');
      print(`This key is shown only once: give it to the ${apiKey.partner ? 'partner' : 'carrier'} now. Only its SHA-256 is stored.`);
      return;
    }
    case 'usage': {
      const { apiKey, days } = await apiKeys.usage(command.idOrPrefix, command.days);
      print(describeKey(apiKey));
      if (!days.length) print(`  no requests in the last ${command.days} days`);
      days.forEach(({ day, requests }) => print(`  ${day}  ${requests} requests`));
      return;
    }
    case 'revoke':
      print(`Revoked ${describeKey(await apiKeys.revoke(command.idOrPrefix))}`);
      return;
    case 'list': {
      const keys = await apiKeys.list();
      if (!keys.length) print('No API keys yet: create one with `npm run api-key -- create --issuer 10001 --label "..."`.');
      keys.forEach((key) => print(describeKey(key)));
      return;
    }
  }
}

async function main(): Promise<void> {
  let command: ApiKeyCommand;
  try {
    command = parseApiKeyCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  await withCliDatabase(
    async (db: CliDatabase) => {
      console.error(`using ${db.origin}`);
      await runApiKeyCommand(command, new ApiKeysService(db.dataSource.getRepository(ApiKeyEntity)), (line) => console.log(line));
    },
    { entities: [ApiKeyEntity] },
  );
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof ApiKeyInputError ? `Error: ${error.message}` : error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
