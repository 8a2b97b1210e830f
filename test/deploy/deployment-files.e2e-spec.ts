import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The deployment files agree with each other and with what several instances need (they cannot be run
 * here: no Docker engine). compose.yaml's API services (those built from the Dockerfile) must share their
 * upload spool, since any instance may run an upload's import job; nginx must reach every one of them; the
 * image must make the spool folder for its unprivileged user.
 */
const ROOT = join(__dirname, '..', '..');

interface ComposeService {
  build?: unknown;
  environment?: Record<string, string>;
  volumes?: string[];
}

describe('deployment files', () => {
  const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes?: Record<string, unknown>;
  };
  const apis = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

  it('compose.yaml runs two API instances', () => {
    expect(apis.map(([name]) => name).sort()).toEqual(['api-1', 'api-2']);
  });

  it('gives every API instance one shared upload spool: the same named volume at its UPLOAD_TMP_DIR', () => {
    const spools = apis.map(([name, service]) => {
      const dir = service.environment?.UPLOAD_TMP_DIR;
      expect({ name, dir }).toEqual({ name, dir: expect.stringMatching(/^\//) });
      const mount = (service.volumes ?? []).map((volume) => volume.split(':')).find(([, target]) => target === dir);
      expect({ name, mounted: mount?.[0] }).toEqual({ name, mounted: expect.stringMatching(/^[a-z][\w-]*$/) });
      return { dir, volume: mount![0] };
    });
    expect(new Set(spools.map((spool) => spool.volume)).size).toBe(1);
    expect(Object.keys(compose.volumes ?? {})).toContain(spools[0].volume);
    // A new named volume takes the owner of the image's folder: the image must make it for its user.
    expect(readFileSync(join(ROOT, 'Dockerfile'), 'utf8')).toMatch(new RegExp(`mkdir -p ${spools[0].dir} && chown node:node ${spools[0].dir}`));
  });

  it('points the API instances at services compose.yaml defines', () => {
    // Secrets are ${VARIABLES} compose fills in.
    for (const [, service] of apis) {
      const env = service.environment ?? {};
      const hosts = [env.DATABASE_URL, ...(env.DATABASE_REPLICA_URLS ?? '').split(','), env.REDIS_URL]
        .filter(Boolean)
        .map((url) => new URL(url!.replace(/\$\{[^}]*\}/g, 'secret')).hostname);
      for (const host of hosts) expect(Object.keys(compose.services)).toContain(host);
    }
  });

  it("puts every API instance behind nginx's cache", () => {
    const nginx = readFileSync(join(ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8');
    const upstream = [...nginx.matchAll(/^\s*server ([\w-]+):(\d+);/gm)].map(([, host, port]) => `${host}:${port}`);
    expect(upstream.sort()).toEqual(apis.map(([name, service]) => `${name}:${service.environment?.PORT}`).sort());
  });
});
