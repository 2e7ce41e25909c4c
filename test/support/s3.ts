import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import S3rver from 's3rver';

/**
 * A real S3 API server for tests: `s3rver` (npm, tests only) in this process, on a random
 * port of 127.0.0.1, storing in a temporary folder, with one bucket made for the caller.
 * It knows one access key (S3RVER / S3RVER) and refuses others, but does not check SigV4
 * signatures themselves: the signing is checked by real object stores only.
 *
 * @example
 * const s3 = await startS3Server();
 * const blobs = createS3BlobStore(parseBlobUrl(s3.blobUrl, s3.credentials));
 * afterAll(() => s3.close());
 */
export interface TestS3Server {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** SIGILL_BLOB_URL for this bucket: s3://<bucket>?endpoint=…&region=…&pathStyle=true */
  readonly blobUrl: string;
  /** The folder s3rver stores the bucket's objects in (for audits of what is stored). */
  readonly directory: string;
  /** The in-process HTTP server, e.g. to count its open connections. */
  readonly server: import('node:http').Server;
  /** Makes another empty bucket on the same server. */
  createBucket(name: string): Promise<void>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';

export async function startS3Server(options: { bucket?: string } = {}): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'sigill-s3-'));
  const bucket = options.bucket ?? `sigill-test-${randomBytes(4).toString('hex')}`;
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only: a Host of <bucket>.127.0.0.1 means nothing here.
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  let address: AddressInfo;
  try {
    address = (await s3rver.run()) as AddressInfo;
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new AwsClient({ ...credentials, service: 's3', region });
  const server = (s3rver as unknown as { httpServer: import('node:http').Server }).httpServer;
  return {
    endpoint,
    bucket,
    region,
    credentials,
    blobUrl: `s3://${bucket}?${new URLSearchParams({ endpoint, region, pathStyle: 'true' })}`,
    directory,
    server,
    async createBucket(name) {
      const response = await client.fetch(`${endpoint}/${name}`, { method: 'PUT' });
      if (!response.ok) throw new Error(`s3rver refused bucket ${name}: HTTP ${response.status} ${await response.text()}`);
      await response.arrayBuffer().catch(() => undefined);
    },
    async close() {
      server.closeAllConnections();
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
