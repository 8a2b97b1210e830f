import { get, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Gzipped bytes each page's script may weigh: the pages stay light on the wire (Chart.js is most of the desk's). */
const BUDGET = { '/web/shopper.js': 12_000, '/web/research.js': 75_000, '/widget.js': 6_000 };

/** The bytes as sent (supertest would decompress them). */
function getRaw(port: number, path: string, encoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers: { 'Accept-Encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('pages served by the API (HTTP)', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it.each([
    ['/', 'Is my doctor in network? What will my drug cost?', '/web/shopper.js'],
    ['/research', 'Research desk', '/web/research.js'],
    ['/widget', 'widget', '/widget.js'],
  ])('serves %s as HTML under the strict same-origin CSP, with nothing from another host', async (path, title, script) => {
    const res = await t.http().get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self';.*script-src 'self';.*style-src 'self'/);
    expect(res.text).toMatch(new RegExp(`<title>[^<]*${title.replace(/[?]/g, '\\?')}`));
    expect(res.text).toContain(`src="${script}"`);
    // Offline: no script, stylesheet, font or image from a CDN.
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(res.text).not.toMatch(/<script>|style="/);
  });

  it.each(Object.entries(BUDGET))('serves %s bundled, gzipped within its budget', async (path, budget) => {
    const zipped = await getRaw(port, path, 'gzip, deflate, br');
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(budget);
    const plain = await getRaw(port, path, 'identity');
    expect(plain.headers['vary']).toBe('Accept-Encoding');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    // A bundle: no module imports left for the browser to resolve, and no URL of another host.
    expect(plain.body.toString()).not.toMatch(/\bimport\s*["'{]|https?:\/\//);
  });

  it('serves the stylesheet, and refuses names it does not serve', async () => {
    const css = await t.http().get('/web/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const missing = await t.http().get('/web/..%2Fweb.controller.ts');
    expect(missing.status).toBe(404);
    expect((await t.http().get('/web/api.js')).status).toBe(404);
    expect((await t.http().get('/favicon.ico')).status).toBe(204);
  });
});
