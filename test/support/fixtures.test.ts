import { existsSync } from 'node:fs';
import { AwsClient } from 'aws4fetch';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, postgresCluster, templateDatabase } from './postgres.js';
import { startS3Server } from './s3.js';

describe('the PostgreSQL fixture', () => {
  it('gives each caller its own empty database on the run\'s one cluster', async () => {
    const first = await freshDatabase();
    const second = await freshDatabase();
    expect(first.name).not.toBe(second.name);
    await first.cluster.psql(first.name, 'CREATE TABLE only_here (id int); INSERT INTO only_here VALUES (1)');
    expect(await first.cluster.psql(first.name, 'SELECT count(*) FROM only_here')).toBe('1\n');
    await expect(second.cluster.psql(second.name, 'SELECT count(*) FROM only_here')).rejects.toThrow(/does not exist/);
    expect((await postgresCluster()).root).toBe(first.cluster.root);
    await first.drop();
    await expect(first.cluster.psql(first.name, 'SELECT 1')).rejects.toThrow(/does not exist/);
  });

  it('copies a template prepared once, and the copy is independent of it', async () => {
    let prepared = 0;
    const prepare = async (url: string) => {
      prepared++;
      expect(new URL(url).pathname).toBe('/fixture_template');
      await (await postgresCluster()).psql('fixture_template', 'CREATE TABLE migrated (id int)');
    };
    const template = await templateDatabase('fixture_template', prepare);
    expect(await templateDatabase('fixture_template', prepare)).toBe(template);
    expect(prepared).toBe(1);
    const copy = await freshDatabase({ template });
    await copy.cluster.psql(copy.name, 'INSERT INTO migrated VALUES (7)');
    expect(await copy.cluster.psql(copy.name, 'SELECT id FROM migrated')).toBe('7\n');
    expect(await copy.cluster.psql(template, 'SELECT count(*) FROM migrated')).toBe('0\n');
  });

  it('serves only on its Unix socket', async () => {
    const cluster = await postgresCluster();
    expect(existsSync(`${cluster.root}/.s.PGSQL.${cluster.port}`)).toBe(true);
    expect(await cluster.psql('postgres', "SELECT current_setting('listen_addresses'), current_setting('fsync')")).toBe('|off\n');
  });
});

describe('the S3 fixture', () => {
  const servers: Awaited<ReturnType<typeof startS3Server>>[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('answers signed requests on its bucket and refuses an unknown access key', async () => {
    const s3 = await startS3Server();
    servers.push(s3);
    const client = new AwsClient({ ...s3.credentials, service: 's3', region: s3.region });
    const put = await client.fetch(`${s3.endpoint}/${s3.bucket}/hello`, { method: 'PUT', body: 'world' });
    expect(put.status).toBe(200);
    const get = await client.fetch(`${s3.endpoint}/${s3.bucket}/hello`);
    expect(await get.text()).toBe('world');
    const stranger = new AwsClient({ accessKeyId: 'STRANGER', secretAccessKey: 'S3RVER', service: 's3', region: s3.region });
    const refused = await stranger.fetch(`${s3.endpoint}/${s3.bucket}/hello`);
    expect(refused.status).toBe(403);
    await refused.arrayBuffer();
  });

  it('removes its folder on close', async () => {
    const s3 = await startS3Server();
    await s3.close();
    expect(existsSync(s3.directory)).toBe(false);
  });
});
