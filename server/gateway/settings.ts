import { encodeBase64url } from '../../shared/base64url.js';
import { configuredKey } from '../http/key-file.js';

/**
 * The server's side of the mail gateway (off by default). SIGILL_GATEWAY_KEY is the
 * credential the gateway process presents and the key the server hashes From addresses
 * and Message-IDs under; the same value on the server and the gateway. On the embedded
 * development defaults an empty key means `gateway.key` in the data folder, which a
 * gateway on the same machine reads too.
 */
export interface GatewaySettings {
  /** SIGILL_GATEWAY=on: the gateway routes are served (and `npm start` starts the gateway). */
  enabled: boolean;
  key: string;
}

/** `enabled`: SIGILL_GATEWAY, read by config.ts as its other flags are; `configured`: SIGILL_GATEWAY_KEY. */
export function gatewaySettingsOf(enabled: boolean, configured: string, dataDir: string, development: boolean, fail: (message: string) => Error): GatewaySettings {
  if (!enabled) return { enabled, key: '' };
  if (configured && configured.length < 32) throw fail('SIGILL_GATEWAY_KEY must be at least 32 characters');
  if (!configured && !development) throw fail('SIGILL_GATEWAY_KEY is needed with SIGILL_GATEWAY=on outside the development defaults');
  return { enabled, key: configured || encodeBase64url(configuredKey('', dataDir, 'gateway.key')) };
}
