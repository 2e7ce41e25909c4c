import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { hashCapability, newCapability } from '../http/secrets.js';
import type { SessionUser } from '../store/account-types.js';

/**
 * Toolbox sessions: a random value in the `sigill_session` cookie (HttpOnly,
 * SameSite=Lax, Path=/, Secure when the public origin is https), stored only as its
 * SHA-256. A session ends SIGILL_SESSION_IDLE_MINUTES after its last request and
 * SIGILL_SESSION_MAX_HOURS after sign-in, and at sign-out.
 *
 * State-changing requests that carry the cookie (and no bearer token), and every
 * sign-in, must come with `Origin` equal to the public origin: 403 `origin_refused`
 * otherwise (a cross-site form or fetch cannot act as the signed-in user).
 *
 * @example
 * app.use('/api/v1/*', sessions(deps));   // sets c.get('session') when the cookie is live
 * await startSession(c, deps, userId);     // after BankID or a passkey
 */
export const sessionCookie = 'sigill_session';

export type SessionVariables = { session: SessionUser | undefined };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkOrigin(c: Context, publicOrigin: string): void {
  if (c.req.header('origin') !== publicOrigin) throw new AppError(403, 'origin_refused', 'this request must come from the toolbox’s own page');
}

/** Reads the session cookie on every API request that has one; refuses cross-site state changes made with it. */
export function sessions(deps: AppDeps) {
  const { store, config, clock } = deps;
  return createMiddleware<{ Variables: SessionVariables }>(async (c, next) => {
    const value = getCookie(c, sessionCookie);
    const bearer = c.req.header('authorization') !== undefined;
    if (value !== undefined && !bearer) {
      if (!safeMethods.has(c.req.method)) checkOrigin(c, config.publicOrigin);
      const now = clock.now();
      const found = /^[A-Za-z0-9_-]{43}$/.test(value) ? await store.accounts.touchSession(hashCapability(value), now, now - config.sessionIdleMs, now - config.sessionMaxMs) : undefined;
      c.set('session', found);
      if (!found) clearSessionCookie(c, config.publicOrigin);
    }
    await next();
  });
}

const secure = (publicOrigin: string) => publicOrigin.startsWith('https:');

export async function startSession(c: Context, deps: AppDeps, userId: string): Promise<void> {
  const value = newCapability(32);
  const now = deps.clock.now();
  await deps.store.accounts.createSession({ idHash: hashCapability(value), userId, createdAt: now, lastSeenAt: now });
  setCookie(c, sessionCookie, value, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(deps.config.publicOrigin), maxAge: Math.floor(deps.config.sessionMaxMs / 1000) });
}

export async function endSession(c: Context, deps: AppDeps): Promise<void> {
  const value = getCookie(c, sessionCookie);
  if (value !== undefined) await deps.store.accounts.deleteSession(hashCapability(value));
  clearSessionCookie(c, deps.config.publicOrigin);
}

function clearSessionCookie(c: Context, publicOrigin: string): void {
  deleteCookie(c, sessionCookie, { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(publicOrigin) });
}

/** The signed-in user, or 401 `signed_out`. */
export function signedIn(c: Context): SessionUser {
  const session = c.get('session') as SessionUser | undefined;
  if (!session) throw new AppError(401, 'signed_out', 'sign in to the toolbox first');
  return session;
}
