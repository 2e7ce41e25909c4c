/**
 * The toolbox's routes, in the address's fragment (the server serves one page):
 * `#/compose` (the default), `#/sent`, `#/sent/<messageId>`, `#/keys`, `#/admin/<page>`.
 *
 * @example
 * parseRoute('#/sent/AAAA') // { view: 'detail', messageId: 'AAAA' }
 */
export type Route = { view: 'compose' } | { view: 'sent' } | { view: 'keys' } | { view: 'detail'; messageId: string } | { view: 'admin'; page: string } | { view: 'unknown' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  if (path === '' || path === 'compose') return { view: 'compose' };
  if (path === 'sent') return { view: 'sent' };
  if (path === 'keys') return { view: 'keys' };
  const detail = /^sent\/([A-Za-z0-9_-]{22})$/.exec(path);
  if (detail) return { view: 'detail', messageId: detail[1]! };
  const admin = /^admin(?:\/([a-z-]+))?$/.exec(path);
  if (admin) return { view: 'admin', page: admin[1] ?? 'users' };
  return { view: 'unknown' };
}
