import { clientError } from './errors.js';

/**
 * The server's origin from what a sender typed (an app's settings, `sigill login
 * --server`): https, or plain http only on the machine itself; no path, query or
 * credentials. Refusals are `server_url_invalid`.
 *
 * @example
 * checkServerUrl(' https://sigill.example/ ') // 'https://sigill.example'
 */
export function checkServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw clientError('server_url_invalid', 'the server address is not a URL, such as https://sigill.example');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw clientError('server_url_invalid', 'the server must use https (plain http only on localhost)');
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw clientError('server_url_invalid', 'give only the server’s address, such as https://sigill.example');
  }
  return url.origin;
}
