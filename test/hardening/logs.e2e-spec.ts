/**
 * Logs a person can read: client mistakes are warnings without a stack; off a terminal the server writes
 * JSON lines, one of which says where the API is.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { testDatabaseUrl } from '../helpers/test-app';

describe('logs', () => {
  describe('client mistakes', () => {
    let app: INestApplication;
    const lines: Array<Record<string, any>> = [];
    beforeAll(async () => {
      const destination = new Writable({
        write(chunk, _encoding, callback) {
          for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
          callback();
        },
      });
      app = await createApp({ dbPoolSize: 2, logLevel: 'info', logPretty: false }, testDatabaseUrl(), { logDestination: destination as any });
      await app.init();
    });
    afterAll(() => app?.close());

    it('BAD_USER_INPUT and UNAUTHENTICATED log one warning each, without a stack, and no error', async () => {
      lines.length = 0;
      const bad = await request(app.getHttpServer()).post('/graphql').send({ query: '{ plans(first: 101) { totalCount } }' });
      expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      const anonymous = await request(app.getHttpServer()).post('/graphql').send({ query: '{ importJob(id: "00000000-0000-4000-8000-000000000000") { id } }' });
      expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

      const text = JSON.stringify(lines);
      expect(text).not.toMatch(/\\n\s+at /);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
      const warnings = lines.filter((l) => l.level === 40 && l.context === 'GraphQL');
      expect(warnings.map((l) => l.code)).toEqual(['BAD_USER_INPUT', 'UNAUTHENTICATED']);
      expect(warnings[0].msg).toContain('first must be between 1 and 100 (got 101)');
      expect(warnings.every((l) => l.stack === undefined && l.err === undefined)).toBe(true);
    });
  });

  describe('the server off a terminal', () => {
    let child: ChildProcess | undefined;
    afterAll(() => {
      if (child?.exitCode === null) child.kill('SIGKILL');
    });

    it('writes JSON lines, one saying where the GraphQL API and the REST docs are', async () => {
      const root = join(__dirname, '../..');
      child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: testDatabaseUrl(), PORT: '0', LOG_LEVEL: 'info', LOG_PRETTY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const location = await new Promise<Record<string, any>>((resolve, reject) => {
        child!.stdout!.on('data', (chunk) => {
          stdout += chunk;
          const found = stdout
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
            .find((entry) => /\/graphql/.test(entry.msg ?? ''));
          if (found) resolve(found);
        });
        child!.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
      });
      const port = new URL(/http:\/\/\S+\/graphql/.exec(location.msg)![0]).port;
      expect(location.msg).toBe(
        `GraphQL API at http://localhost:${port}/graphql (open it in a browser to explore), REST API docs at http://localhost:${port}/api/v1/docs`,
      );
      expect(Number(port)).toBeGreaterThan(0);
      const exited = new Promise((resolve) => child!.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      // Every line is JSON (the parse above would have thrown otherwise), also those after the location.
      for (const line of stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    });
  });
});
