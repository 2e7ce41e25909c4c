/**
 * SIGILL_BLOB_URL for an S3-compatible object store, and its credentials, read into one
 * typed object for `createS3BlobStore` (./s3-blobs.ts).
 *
 *   s3://<bucket>[/<key prefix>]?endpoint=<http(s) URL>&region=<region>&pathStyle=true|false
 *
 * - `endpoint`: the store's base URL (MinIO, Ceph, Garage, a cloud's S3 API). Default:
 *   AWS, `https://s3.<region>.amazonaws.com`.
 * - `region`: signs the requests. Default: AWS_REGION, AWS_DEFAULT_REGION, or us-east-1.
 * - `pathStyle`: `<endpoint>/<bucket>/<key>` (true) or `<bucket>.<endpoint host>/<key>`
 *   (false). Default: true with an `endpoint` (most self-hosted stores), false for AWS.
 * - Credentials never go in the URL (it ends up in logs): SIGILL_S3_ACCESS_KEY_ID and
 *   SIGILL_S3_SECRET_ACCESS_KEY, or else AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with
 *   AWS_SESSION_TOKEN if set).
 *
 * @example
 * const config = parseBlobUrl('s3://sigill?endpoint=http://127.0.0.1:9000&region=eu-north-1', process.env);
 * // { bucket: 'sigill', prefix: '', endpoint: 'http://127.0.0.1:9000', pathStyle: true, … }
 */
export interface S3BlobConfig {
  bucket: string;
  /** Put before every key: '' or a path ending in '/'. */
  prefix: string;
  /** Base URL, without a trailing '/'. */
  endpoint: string;
  region: string;
  pathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A SIGILL_BLOB_URL or its credentials that cannot be used; the message names what is wrong, never a secret. */
export class BlobConfigError extends Error {
  override readonly name = 'BlobConfigError';
}

type Env = Record<string, string | undefined>;

const knownParameters = new Set(['endpoint', 'region', 'pathStyle']);

export function parseBlobUrl(text: string, env: Env): S3BlobConfig {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BlobConfigError('SIGILL_BLOB_URL is not a URL (expected s3://<bucket>?endpoint=…&region=…)');
  }
  if (url.protocol !== 's3:') throw new BlobConfigError('SIGILL_BLOB_URL must start with s3://');
  if (url.username || url.password) {
    throw new BlobConfigError('SIGILL_BLOB_URL must not hold credentials: set SIGILL_S3_ACCESS_KEY_ID and SIGILL_S3_SECRET_ACCESS_KEY');
  }
  const bucket = url.hostname;
  // S3's bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new BlobConfigError('SIGILL_BLOB_URL names no valid bucket (3 to 63 lower-case letters, digits, dots or hyphens)');
  }
  for (const name of url.searchParams.keys()) {
    if (!knownParameters.has(name)) throw new BlobConfigError(`SIGILL_BLOB_URL has an unknown parameter "${name}" (known: endpoint, region, pathStyle)`);
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
  } catch {
    throw new BlobConfigError('SIGILL_BLOB_URL has a key prefix that is not valid percent-encoding');
  }
  const prefix = path === '' ? '' : `${path}/`;
  const region = url.searchParams.get('region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  if (!/^[a-z0-9-]+$/.test(region)) throw new BlobConfigError('SIGILL_BLOB_URL region must be lower-case letters, digits and hyphens');
  const endpointText = url.searchParams.get('endpoint');
  const endpoint = endpointText ? parseEndpoint(endpointText) : `https://s3.${region}.amazonaws.com`;
  const pathStyleText = url.searchParams.get('pathStyle');
  if (pathStyleText !== null && pathStyleText !== 'true' && pathStyleText !== 'false') {
    throw new BlobConfigError('SIGILL_BLOB_URL pathStyle must be true or false');
  }
  const pathStyle = pathStyleText === null ? endpointText !== null : pathStyleText === 'true';
  return { bucket, prefix, endpoint, region, pathStyle, ...credentials(env) };
}

function parseEndpoint(text: string): string {
  let endpoint: URL;
  try {
    endpoint = new URL(text);
  } catch {
    throw new BlobConfigError('SIGILL_BLOB_URL endpoint is not a URL (expected http(s)://host[:port])');
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw new BlobConfigError('SIGILL_BLOB_URL endpoint must be http:// or https://');
  if (endpoint.username || endpoint.password || endpoint.search || endpoint.hash) {
    throw new BlobConfigError('SIGILL_BLOB_URL endpoint must be a plain base URL (no credentials, query or fragment)');
  }
  return endpoint.href.replace(/\/+$/, '');
}

function credentials(env: Env): Pick<S3BlobConfig, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> {
  const own = [env.SIGILL_S3_ACCESS_KEY_ID, env.SIGILL_S3_SECRET_ACCESS_KEY];
  if (own[0] || own[1]) {
    if (!own[0] || !own[1]) throw new BlobConfigError('set both SIGILL_S3_ACCESS_KEY_ID and SIGILL_S3_SECRET_ACCESS_KEY, or neither');
    return { accessKeyId: own[0], secretAccessKey: own[1] };
  }
  const aws = [env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY];
  if (aws[0] && aws[1]) return { accessKeyId: aws[0], secretAccessKey: aws[1], ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) };
  throw new BlobConfigError('SIGILL_BLOB_URL needs credentials: SIGILL_S3_ACCESS_KEY_ID and SIGILL_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)');
}

/** The blob store's name for logs and the start banner: the bucket, never a credential. */
export function describeBlobConfig(config: S3BlobConfig): string {
  return `s3://${config.bucket}/${config.prefix} at ${config.endpoint}`;
}
