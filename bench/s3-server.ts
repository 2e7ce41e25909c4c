/**
 * The benchmark's S3 API server (s3rver, as in the tests) in its own process, so that it
 * does not share an event loop with the load generator. Prints its SIGILL_BLOB_URL.
 */
import { startS3Server } from '../test/support/s3.js';

const s3 = await startS3Server({ bucket: 'sigill-bench' });
console.log(`blobs at ${s3.blobUrl} (s3rver on ${s3.endpoint})`);
const stop = () => void s3.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
