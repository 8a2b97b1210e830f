import 'reflect-metadata';
import { CliDatabase, withCliDatabase } from '../../database/cli-database';
import { ApiKeyEntity } from '../api-key.entity';
import { ApiKeyInputError, ApiKeysService, ApiKeySummary } from '../api-keys.service';

const USAGE = `Usage:
  npm run api-key -- create --issuer 10001 [--issuer 10002] --label "Buckeye uploads" [--admin]
  npm run api-key -- revoke <key id or prefix, e.g. cov_AbCd1234>
  npm run api-key -- list`;

export class CliUsageError extends Error {}

export type ApiKeyCommand =
  { name: 'create'; label: string; issuerIds: string[]; isAdmin: boolean } | { name: 'revoke'; idOrPrefix: string } | { name: 'list' };

export function parseApiKeyCommand(argv: string[]): ApiKeyCommand {
  const [name, ...rest] = argv;
  if (name === 'list' && rest.length === 0) return { name };
  if (name === 'revoke' && rest.length === 1) return { name, idOrPrefix: rest[0] };
  if (name === 'create') {
    const issuerIds: string[] = [];
    let label = '';
    let isAdmin = false;
    for (let i = 0; i < rest.length; i++) {
      const option = rest[i];
      const value = rest[i + 1];
      if (option === '--admin') isAdmin = true;
      else if ((option === '--issuer' || option === '--label') && value !== undefined && !value.startsWith('--')) {
        if (option === '--issuer') issuerIds.push(...value.split(','));
        else label = value;
        i++;
      } else throw new CliUsageError(`unexpected argument "${option}"`);
    }
    return { name, label, issuerIds, isAdmin };
  }
  throw new CliUsageError(name ? `unknown command or arguments: ${argv.join(' ')}` : 'no command given');
}

function describeKey(key: ApiKeySummary): string {
  const scope = key.isAdmin ? 'admin (all issuers)' : `issuers ${key.issuerIds.join(', ')}`;
  const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
  const used = key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used';
  return `${key.id}  ${key.keyPrefix}…  "${key.label}"  ${scope}  ${state}, ${used}`;
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
      print('This key is shown only once: give it to the carrier now. Only its SHA-256 is stored.');
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
