import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { senderApi, type SenderApi } from '../../../client/sender-api.js';
import { createApp } from '../../../server/app.js';
import type { Config } from '../../../server/config.js';
import { smsTransportOf } from '../../../server/delivery/providers.js';
import type { SmsSettings } from '../../../server/delivery/sms-config.js';
import type { SimulatorFixture } from '../bankid/simulator-fixture.js';
import { backends, type TestBackend } from '../backends.js';
import { startServer, type TestServer } from '../harness.js';

/**
 * The harness server on a real port, relaying SMS through a real provider client (46elks
 * or Twilio) to a fake on its own port, with the public origin set to where it listens,
 * so the fakes' delivery reports come back over HTTP.
 */
export interface SmsTestServer {
  server: TestServer;
  origin: string;
  /** client/'s SenderApi over real HTTP. */
  sender: SenderApi;
  close(): Promise<void>;
}

export async function startSmsServer(
  bankId: SimulatorFixture,
  provider: '46elks' | 'twilio',
  sms: Partial<SmsSettings>,
  backend: TestBackend = backends[0]!,
): Promise<SmsTestServer> {
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => void response.writeHead(503).end();
  const http = createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  const settings: SmsSettings = { apiUrl: '', elksUsername: '', elksPassword: '', twilioAccountSid: '', twilioAuthToken: '', from: 'Sigill', timeoutMs: 300, ...sms };
  const overrides: Partial<Config> = { smsTransport: provider, sms: settings, publicOrigin: origin };
  const server = await startServer(bankId, overrides, backend);
  const app = createApp({ ...server.deps, sms: smsTransportOf(server.deps.config) });
  handle = getRequestListener(app.fetch);
  return {
    server,
    origin,
    sender: senderApi({ baseUrl: origin, token: server.token }),
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await server.close();
    },
  };
}
