/**
 * `npm run gateway`: the mail gateway (off by default; README: The mail gateway). Start
 * the server with SIGILL_GATEWAY=on, then this; or let the server start it with
 * SIGILL_GATEWAY=on and SIGILL_GATEWAY_WITH_SERVER=on.
 */
import { createGateway } from './smtp.js';
import { GatewaySettingsError, gatewayProcessSettings } from './settings.js';

try {
  const settings = gatewayProcessSettings();
  const gateway = createGateway(settings);
  const port = await gateway.listen();
  console.log(`Sigill mail gateway on ${settings.host}:${port} (${settings.lmtp ? 'LMTP' : 'SMTP'} with STARTTLS), for @${settings.smsDomain} and @${settings.mailDomain}.`);
  console.log('Not end-to-end encrypted: mail reaches this gateway readable. Use the toolbox or the extension where that matters.');
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (error instanceof GatewaySettingsError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
