import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startCuttingProxy, type CuttingProxy } from './cutting-proxy.js';

/** An HTTP server that answers with how many body bytes it received. */
async function countingServer(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((request, response) => {
    let length = 0;
    request.on('data', (data: Buffer) => {
      length += data.length;
      received += data.length;
    });
    request.on('end', () => response.end(String(length)));
    request.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, received: () => received };
}

describe('cutting proxy', () => {
  let proxy: CuttingProxy | undefined;
  let target: Awaited<ReturnType<typeof countingServer>> | undefined;
  afterEach(async () => {
    await proxy?.close();
    await new Promise((resolve) => target?.server.close(resolve));
  });

  it('forwards exactly up to the cut, drops that request, and passes the next one whole', async () => {
    target = await countingServer();
    proxy = await startCuttingProxy({ target: target.url, cutAfterBytes: 100_000 });
    const body = new Uint8Array(300_000);
    await expect(fetch(proxy.url, { method: 'PUT', body })).rejects.toThrow();
    expect(proxy.cuts).toBe(1);
    expect(proxy.bytesToServer).toBe(100_000);
    const answer = await fetch(proxy.url, { method: 'PUT', body });
    expect(await answer.text()).toBe('300000');
    expect(proxy.cuts).toBe(1);
    expect(proxy.bytesToServer).toBeGreaterThan(100_000 + 300_000);
    expect(proxy.bytesToClient).toBeGreaterThan(0);
  });

  it('cuts repeatedly when asked, every N bytes', async () => {
    target = await countingServer();
    proxy = await startCuttingProxy({ target: target.url, cutAfterBytes: 50_000, cuts: Infinity });
    for (let i = 0; i < 3; i++) await expect(fetch(proxy.url, { method: 'PUT', body: new Uint8Array(80_000) })).rejects.toThrow();
    expect(proxy.cuts).toBe(3);
    expect(proxy.bytesToServer).toBe(150_000);
    proxy.cutAfter(undefined);
    expect(await (await fetch(proxy.url, { method: 'PUT', body: new Uint8Array(80_000) })).text()).toBe('80000');
  });
});
