import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemaFromSources, schemaDocument } from '../schema-document';

const ROOT = join(__dirname, '..', '..', '..');
const SCHEMA_FILE = join(ROOT, 'schema.gql');

/**
 * `npm run schema:write` regenerates `schema.gql` from the code; `npm run schema:check` fails (and shows the
 * first differing lines) when the committed file and the code disagree.
 */
async function main(mode: string | undefined): Promise<number> {
  const generated = schemaDocument(await buildSchemaFromSources(join(ROOT, 'src')));
  if (mode === 'write') {
    writeFileSync(SCHEMA_FILE, generated);
    console.log(`wrote ${SCHEMA_FILE}`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    console.error('schema.gql is missing: run `npm run schema:write` and commit it');
    return 1;
  }
  if (committed === generated) {
    console.log('schema.gql matches the code');
    return 0;
  }
  const a = committed.split('\n');
  const b = generated.split('\n');
  const differences: string[] = [];
  for (let line = 0; line < Math.max(a.length, b.length) && differences.length < 20; line++) {
    if (a[line] !== b[line]) differences.push(`line ${line + 1}:\n  schema.gql: ${a[line] ?? '(end of file)'}\n  code:       ${b[line] ?? '(end of file)'}`);
  }
  console.error(`schema.gql differs from the schema the code builds: run \`npm run schema:write\` and commit it.\n${differences.join('\n')}`);
  return 1;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
