import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localCachePath, writeFileAtomically } from '../common/local-cache';

/** Scripts the pages load, each bundled (with Chart.js for the research desk) and minified from public/. */
export const SCRIPT_ENTRIES = {
  'shopper.js': { entry: 'shopper.js', format: 'esm' },
  'research.js': { entry: 'research.js', format: 'esm' },
  // Classic script for other sites' pages: one <script src> tag, no module loading rules.
  'widget.js': { entry: 'widget.js', format: 'iife' },
} as const;
export type ScriptName = keyof typeof SCRIPT_ENTRIES;

/** Files served as they are. */
export const STATIC_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'research.html': 'text/html; charset=utf-8',
  'widget-demo.html': 'text/html; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * The pages' source folder. Run from TypeScript it is next to this file; compiled (dist/src/web), tsc does
 * not copy it, so it is read from the source tree the build came from.
 */
export function publicDir(): string {
  const candidates = [join(__dirname, 'public'), join(__dirname, '..', '..', '..', 'src', 'web', 'public')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`Web pages not found in ${candidates.join(' or ')}`);
  return found;
}

/** An installed package's version; found from its entry point, since `exports` maps may hide package.json. */
function packageVersion(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8'));
      if (parsed.name === name) return parsed.version;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json found for ${name}`);
    dir = parent;
  }
}

/**
 * Bundles the page scripts with esbuild once per set of sources: the result is kept under
 * node_modules/.cache, named by a hash of the sources and the bundler's and Chart.js's versions, so a
 * restart reads it back instead of bundling again.
 */
export class WebAssets {
  private scripts: Promise<Map<ScriptName, Buffer>> | null = null;
  private readonly gzipped = new Map<ScriptName, Buffer>();

  constructor(private readonly dir = publicDir()) {}

  readStatic(name: string): Buffer {
    return readFileSync(join(this.dir, name));
  }

  script(name: ScriptName): Promise<Buffer> {
    this.scripts ??= this.build().catch((error) => {
      this.scripts = null;
      throw error;
    });
    return this.scripts.then((scripts) => scripts.get(name) as Buffer);
  }

  /** The script gzipped (compressed once, then kept): Chart.js is most of the research desk's bytes. */
  async gzippedScript(name: ScriptName): Promise<Buffer> {
    const cached = this.gzipped.get(name);
    if (cached) return cached;
    const zipped = gzipSync(await this.script(name), { level: 9 });
    this.gzipped.set(name, zipped);
    return zipped;
  }

  private sourceHash(): string {
    const hash = createHash('sha256');
    hash.update(`esbuild ${packageVersion('esbuild')} chart.js ${packageVersion('chart.js')}\n`);
    for (const file of readdirSync(this.dir)
      .filter((f) => f.endsWith('.js'))
      .sort()) {
      hash
        .update(`${file}\n`)
        .update(readFileSync(join(this.dir, file)))
        .update('\n');
    }
    return hash.digest('hex').slice(0, 16);
  }

  private async build(): Promise<Map<ScriptName, Buffer>> {
    const hash = this.sourceHash();
    const result = new Map<ScriptName, Buffer>();
    const missing: ScriptName[] = [];
    for (const name of Object.keys(SCRIPT_ENTRIES) as ScriptName[]) {
      const cached = localCachePath(`web-${hash}-${name}`);
      if (existsSync(cached)) result.set(name, readFileSync(cached));
      else missing.push(name);
    }
    if (!missing.length) return result;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    await Promise.all(
      missing.map(async (name) => {
        const { entry, format } = SCRIPT_ENTRIES[name];
        const built = await esbuild.build({
          entryPoints: [join(this.dir, entry)],
          bundle: true,
          minify: true,
          format,
          target: ['es2020'],
          platform: 'browser',
          legalComments: 'none',
          write: false,
        });
        const contents = Buffer.from(built.outputFiles[0].contents);
        writeFileAtomically(localCachePath(`web-${hash}-${name}`), contents);
        result.set(name, contents);
      }),
    );
    return result;
  }
}
