import 'reflect-metadata';
import { CliError, CliUsageError, parseCommandLine, runCommandLine } from '../../common/command-line';
import { CliDatabase, withCliDatabase } from '../../database/cli-database';
import { ApiKeyEntity } from '../api-key.entity';
import { ApiKeyInputError, ApiKeysService, ApiKeySummary } from '../api-keys.service';

const USAGE = `Usage: npm run api-key -- create --issuer 10001 [--issuer 10002] --label "Buckeye uploads" [--admin] [--rate-limit N] [--allow-unknown-issuer]
       npm run api-key -- create --partner "ShopCo" [--label "ShopCo production"] [--rate-limit N]
       npm run api-key -- revoke <key id or prefix, e.g. cov_AbCd1234>
       npm run api-key -- usage <key id or prefix> [--days N]
       npm run api-key -- list

create refuses an issuer nothing was ever loaded for (a typo would give a key that can never upload for the
right carrier); --allow-unknown-issuer creates it anyway, e.g. for a carrier's very first upload.`;

export { CliUsageError };

export type ApiKeyCommand =
  | { name: 'create'; label: string; issuerIds: string[]; isAdmin: boolean; partner?: string; rateLimit?: number; allowUnknownIssuer?: boolean }
  | { name: 'revoke'; idOrPrefix: string }
  | { name: 'usage'; idOrPrefix: string; days: number }
  | { name: 'list' };

function wholeNumber(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new CliUsageError(`${option} needs a whole number (got "${value}")`);
  return n;
}

export function parseApiKeyCommand(argv: string[]): ApiKeyCommand {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      issuer: { type: 'string', multiple: true },
      label: { type: 'string' },
      admin: { type: 'boolean' },
      'allow-unknown-issuer': { type: 'boolean' },
      partner: { type: 'string' },
      'rate-limit': { type: 'string' },
      days: { type: 'string' },
    },
    { positionals: true },
  );
  const [name, ...rest] = positionals;
  const given = Object.keys(values);
  const only = (...allowed: string[]) => {
    const other = given.find((option) => !allowed.includes(option));
    if (other) throw new CliUsageError(`unexpected argument "--${other}" for ${name}`);
  };
  if (name === 'list' && rest.length === 0) {
    only();
    return { name };
  }
  if (name === 'revoke' && rest.length === 1) {
    only();
    return { name, idOrPrefix: rest[0] };
  }
  if (name === 'usage' && rest.length === 1) {
    only('days');
    return { name, idOrPrefix: rest[0], days: values.days !== undefined ? wholeNumber('--days', values.days) : 7 };
  }
  if (name === 'create') {
    if (rest.length) throw new CliUsageError(`unexpected argument "${rest[0]}"`);
    only('issuer', 'label', 'admin', 'allow-unknown-issuer', 'partner', 'rate-limit');
    const rateLimit = values['rate-limit'] !== undefined ? wholeNumber('--rate-limit', values['rate-limit']) : undefined;
    return {
      name,
      label: values.label ?? '',
      issuerIds: (values.issuer ?? []).flatMap((value) => value.split(',')),
      isAdmin: values.admin ?? false,
      allowUnknownIssuer: values['allow-unknown-issuer'] ?? false,
      ...(values.partner !== undefined ? { partner: values.partner } : {}),
      ...(rateLimit !== undefined ? { rateLimit } : {}),
    };
  }
  throw new CliUsageError(name ? `unknown command or arguments: ${argv.join(' ')}` : 'no command given');
}

/** Issuers that exist (something was loaded for them): of `issuerIds`, the ones missing. */
export type MissingIssuers = (issuerIds: string[]) => Promise<string[]>;

function describeKey(key: ApiKeySummary): string {
  const scope = key.partner ? `read partner ${key.partner}` : key.isAdmin ? 'admin (all issuers)' : `issuers ${key.issuerIds.join(', ')}`;
  const limit = key.rateLimit === null ? '' : key.rateLimit === 0 ? '  no rate limit' : `  rate limit ${key.rateLimit}`;
  const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
  const used = key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used';
  return `${key.id}  ${key.keyPrefix}…  "${key.label}"  ${scope}${limit}  ${state}, ${used}`;
}

/** Runs one command; `print` receives the lines meant for the operator (the new key is printed once). */
export async function runApiKeyCommand(
  command: ApiKeyCommand,
  apiKeys: ApiKeysService,
  print: (line: string) => void,
  missingIssuers?: MissingIssuers,
): Promise<void> {
  switch (command.name) {
    case 'create': {
      if (missingIssuers && !command.allowUnknownIssuer && !command.isAdmin) {
        const missing = await missingIssuers([...new Set(command.issuerIds)]);
        if (missing.length) {
          const which = missing.length === 1 ? `issuer ${missing[0]} does not exist` : `issuers ${missing.join(', ')} do not exist`;
          throw new CliError(`${which} (nothing was ever loaded for it): check the id, or pass --allow-unknown-issuer to create the key anyway`);
        }
      }
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
  const command = parseApiKeyCommand(process.argv.slice(2));
  await withCliDatabase(
    async (db: CliDatabase) => {
      console.error(`using ${db.origin}`);
      const missingIssuers: MissingIssuers = async (issuerIds) => {
        const rows: Array<{ issuer_id: string }> = await db.database.query(`SELECT issuer_id FROM issuer WHERE issuer_id = ANY($1::text[])`, [issuerIds]);
        return issuerIds.filter((id) => !rows.some((row) => row.issuer_id === id));
      };
      await runApiKeyCommand(command, new ApiKeysService(db.dataSource.getRepository(ApiKeyEntity)), (line) => console.log(line), missingIssuers);
    },
    { entities: [ApiKeyEntity] },
  );
}

if (require.main === module) {
  runCommandLine(USAGE, main, (error) => (error instanceof ApiKeyInputError ? `Error: ${error.message}` : null));
}
