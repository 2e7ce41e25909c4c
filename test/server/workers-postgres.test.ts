/**
 * `npm start` with two workers on the scale-out back ends (issue 17): PostgreSQL (a
 * fresh database on the run's throwaway cluster) and an S3 API server (s3rver). A
 * message stored through one worker opens through the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/postgres.js';
import { startS3Server, type TestS3Server } from '../support/s3.js';
import { read, seal, startWorkers, store, workerOf } from './workers-harness.js';
import { sharedSecretsEnv } from './backends.js';

let root: string;
let database: TestDatabase;
let s3: TestS3Server;
beforeAll(async () => {
  root = mkdtempSync(`${tmpdir()}/sigill-workers-pg-`);
  [database, s3] = await Promise.all([freshDatabase(), startS3Server()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([database?.drop(), s3?.close()]);
  rmSync(root, { recursive: true, force: true });
});

describe('two workers on PostgreSQL and S3', () => {
  it('a message created through one worker opens through the other', async () => {
    const server = await startWorkers(root, 'postgres', {
      SIGILL_DATABASE_URL: database.url,
      SIGILL_BLOB_URL: s3.blobUrl,
      SIGILL_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      SIGILL_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      ...sharedSecretsEnv,
      SIGILL_COLLECT_INTERVAL_MS: '100',
    });
    try {
      const sealed = await seal();
      const [created, ...uploads] = await store(server, sealed);
      expect([created!.status, ...uploads.map((response) => response.status)]).toEqual([201, 200, 200]);
      const creator = await workerOf(server, created!);
      const result = await read(server, sealed);
      expect(result.state?.status).toBe('approved');
      expect(result.payload?.status).toBe(200);
      const readers = await Promise.all([result.info, result.started!, ...result.polls!, result.payload!].map((response) => workerOf(server, response)));
      expect(new Set([creator, ...readers]).size).toBe(2);
    } finally {
      await server.stop();
    }
  });
});
