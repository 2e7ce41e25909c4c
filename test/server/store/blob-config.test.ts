import { describe, expect, it } from 'vitest';
import { BlobConfigError, describeBlobConfig, parseBlobUrl } from '../../../server/store/blob-config.js';

const keys = { SIGILL_S3_ACCESS_KEY_ID: 'sigill-key', SIGILL_S3_SECRET_ACCESS_KEY: 'sigill-secret' };

function refusal(text: string, env: Record<string, string | undefined> = keys): string {
  try {
    parseBlobUrl(text, env);
  } catch (error) {
    expect(error).toBeInstanceOf(BlobConfigError);
    return (error as Error).message;
  }
  throw new Error(`${text} was accepted`);
}

describe('SIGILL_BLOB_URL', () => {
  it('reads bucket, key prefix, endpoint, region and path style', () => {
    expect(parseBlobUrl('s3://sigill-payloads/prod/eu/?endpoint=https://objects.example.se:9000/&region=eu-north-1&pathStyle=false', keys)).toEqual({
      bucket: 'sigill-payloads',
      prefix: 'prod/eu/',
      endpoint: 'https://objects.example.se:9000',
      region: 'eu-north-1',
      pathStyle: false,
      accessKeyId: 'sigill-key',
      secretAccessKey: 'sigill-secret',
    });
  });

  it('defaults to AWS with virtual-hosted buckets, and to path style with an endpoint of your own', () => {
    const aws = parseBlobUrl('s3://sigill', { ...keys, AWS_REGION: 'eu-west-1' });
    expect(aws).toMatchObject({ endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1', pathStyle: false, prefix: '' });
    expect(parseBlobUrl('s3://sigill', keys).region).toBe('us-east-1');
    expect(parseBlobUrl('s3://sigill?endpoint=http://127.0.0.1:9000', keys)).toMatchObject({ pathStyle: true, endpoint: 'http://127.0.0.1:9000' });
  });

  it("takes Sigill's own credentials first, else the AWS ones with their session token", () => {
    const aws = { AWS_ACCESS_KEY_ID: 'aws-key', AWS_SECRET_ACCESS_KEY: 'aws-secret', AWS_SESSION_TOKEN: 'aws-session' };
    expect(parseBlobUrl('s3://sigill', { ...aws, ...keys })).toMatchObject({ accessKeyId: 'sigill-key', secretAccessKey: 'sigill-secret' });
    expect(parseBlobUrl('s3://sigill', { ...aws, ...keys }).sessionToken).toBeUndefined();
    expect(parseBlobUrl('s3://sigill', aws)).toMatchObject({ accessKeyId: 'aws-key', secretAccessKey: 'aws-secret', sessionToken: 'aws-session' });
  });

  it('refuses credentials in the URL, missing or half credentials, and says which variables to set', () => {
    expect(refusal('s3://key:secret-in-url@sigill')).toMatch(/must not hold credentials/);
    expect(refusal('s3://key:secret-in-url@sigill')).not.toContain('secret-in-url');
    expect(refusal('s3://sigill', {})).toMatch(/SIGILL_S3_ACCESS_KEY_ID and SIGILL_S3_SECRET_ACCESS_KEY/);
    expect(refusal('s3://sigill', { SIGILL_S3_ACCESS_KEY_ID: 'only-the-key' })).toMatch(/both/);
  });

  it('refuses another scheme, a bad bucket, an unknown parameter, a bad endpoint and a bad pathStyle', () => {
    expect(refusal('https://sigill')).toMatch(/s3:\/\//);
    expect(refusal('not a url')).toMatch(/not a URL/);
    expect(refusal('s3://Sigill_Payloads')).toMatch(/bucket/);
    expect(refusal('s3://sigill?endpiont=http://x')).toMatch(/unknown parameter "endpiont"/);
    expect(refusal('s3://sigill?endpoint=ftp://x')).toMatch(/http:\/\/ or https:\/\//);
    expect(refusal('s3://sigill?endpoint=http://user:pw@x')).toMatch(/plain base URL/);
    expect(refusal('s3://sigill?endpoint=http://127.0.0.1&pathStyle=yes')).toMatch(/pathStyle must be true or false/);
    expect(refusal('s3://sigill/%E0%A4%A?endpoint=http://127.0.0.1')).toMatch(/percent-encoding/);
  });

  it('describes the store by bucket and endpoint, never by credential', () => {
    const text = describeBlobConfig(parseBlobUrl('s3://sigill/prod?endpoint=http://127.0.0.1:9000', keys));
    expect(text).toBe('s3://sigill/prod/ at http://127.0.0.1:9000');
    expect(text).not.toContain('sigill-secret');
  });
});
