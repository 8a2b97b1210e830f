import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImportResult } from '../../src/ingest/import-contract';
import { QhpImporter } from '../../src/ingest/qhp-importer';
import { startTestApp, TestApp } from '../helpers/test-app';
import { AMLODIPINE, ALICE, drugCoverage, failedImport, fixture, GOLD, GOOD_ISSUER, networkCoverage, removeIssuers, request } from './ingest-helpers';

/**
 * Carriers publish `.json.gz` files, and some tools write UTF-16. A gzip file (by its magic bytes, whatever
 * its name) is decompressed while it streams; a UTF-16 file is refused with a message that says so and
 * asks for UTF-8 (a UTF-8 byte order mark is fine). Before, both failed with "unexpected byte 0x1f/0xff".
 */
describe('file encodings: gzip, UTF-8 BOM, UTF-16', () => {
  let app: TestApp;
  let importer: QhpImporter;
  let dir: string;
  const good = (name: string) => readFileSync(fixture('good', name));
  const write = (name: string, bytes: Buffer) => {
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };

  beforeAll(async () => {
    app = await startTestApp();
    importer = new QhpImporter(app.db);
    dir = mkdtempSync(join(tmpdir(), 'encodings-'));
  });

  afterAll(async () => {
    await removeIssuers(app.db, [GOOD_ISSUER, '55501']);
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('gzip files are decompressed while streaming', () => {
    let result: ImportResult;
    beforeAll(async () => {
      const paths = [
        write('plans.json.gz', gzipSync(good('plans.json'))),
        // Compressed but named .json: recognised by its magic bytes.
        write('providers.json', gzipSync(good('providers.json'))),
        write('drugs.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good('drugs.json')])),
      ];
      result = await importer.import(request({ issuerName: 'Buckeye Health', paths }));
    });

    it('loads them as the plain files would be', () => {
      expect(result.status).toBe('published');
      expect(result.counts).toMatchObject({ plans: 3, providers: 7, drugs: 2 });
    });

    it('answers over GraphQL from what they held', async () => {
      expect((await networkCoverage(app, [ALICE], [GOLD]))[0].status).toBe('IN_NETWORK');
      expect((await drugCoverage(app, [AMLODIPINE], [GOLD]))[0].status).toBe('COVERED');
    });

    it('reads gzip CSV named .csv.gz as CSV', async () => {
      const csv = await importer.import(
        request({
          issuerId: '55501',
          issuerName: 'Csv Health',
          paths: [fixture('csv/plans.json'), write('providers.csv.gz', gzipSync(readFileSync(fixture('csv/providers.csv'))))],
        }),
      );
      expect(csv.counts).toMatchObject({ providers: 2, addresses: 3 });
    });

    it('fails a corrupt gzip file, naming it', async () => {
      const whole = gzipSync(good('providers.json'));
      const error = await failedImport(
        importer.import(request({ paths: [fixture('good/plans.json'), write('providers-cut.json.gz', whole.subarray(0, whole.length - 40))] })),
      );
      expect(error.message).toMatch(/^providers-cut\.json\.gz: .*gzip/);
    });

    it('bounds the decompressed size by the file size limit', async () => {
      const bomb = gzipSync(Buffer.concat([Buffer.from('['), Buffer.alloc(4 * 1024 * 1024, ' '), Buffer.from(']')]));
      const error = await failedImport(
        importer.import(request({ maxFileBytes: 1024 * 1024, paths: [fixture('good/plans.json'), write('providers-bomb.json.gz', bomb)] })),
      );
      expect(error.code).toBe('FILE_TOO_LARGE');
      expect(error.message).toMatch(/providers-bomb\.json\.gz decompresses to more than 1\.0 MB/);
    });
  });

  describe('UTF-16 is refused with a message that says so', () => {
    const utf16le = (text: string, bom: boolean) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
    const utf16be = (text: string) => {
      const le = Buffer.from(text, 'utf16le');
      for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    };
    it.each([
      ['little-endian with a byte order mark', () => utf16le(good('providers.json').toString('utf8'), true)],
      ['big-endian with a byte order mark', () => utf16be(good('providers.json').toString('utf8'))],
      ['without a byte order mark', () => utf16le(good('providers.json').toString('utf8'), false)],
    ])('%s', async (_, bytes) => {
      const error = await failedImport(importer.import(request({ paths: [fixture('good/plans.json'), write('providers-utf16.json', bytes())] })));
      expect(error.code).toBe('UNSUPPORTED_ENCODING');
      expect(error.message).toMatch(/^providers-utf16\.json is UTF-16.*send it as UTF-8/);
      expect(error.file).toBe('providers-utf16.json');
    });
  });
});
