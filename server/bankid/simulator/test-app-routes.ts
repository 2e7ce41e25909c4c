/**
 * The test app over HTTP (plain HTTP on loopback, no client certificate): the web page for
 * developers and the control API for tests in other processes. Errors are
 * `{"error":{"code","message"}}`.
 *
 *   GET  /                                      the page (also `/?autostarttoken=…&redirect=…`)
 *   GET  /control/orders                         pending orders
 *   GET  /control/identities                     ready-made test identities
 *   POST /control/scan            {qrData, identity?}          → {orderRef}
 *   POST /control/open            {autoStartToken, identity?}  → {orderRef}
 *   POST /control/orders/:orderRef/open-app     {identity?}   (opens it as if by its autostart link)
 *   POST /control/orders/:orderRef/open-phone | confirm-call | cancel
 *   POST /control/orders/:orderRef/approve      {identity?}
 *   POST /control/orders/:orderRef/fail         {hintCode}
 *   POST /control/fail-next-call  {httpStatus, errorCode?, details?, times?}
 */
import { Hono, type Context } from 'hono';
import type { SimulatorCore } from './core.js';
import { TestAppError } from './errors.js';
import { identityFor, testIdentities, type TestIdentity } from './identities.js';
import type { InjectedFailure } from './injected-failures.js';
import { testAppPage } from './test-app-page.js';
import type { TestApp } from './test-app.js';

type Body = Record<string, unknown>;

async function body(c: Context): Promise<Body> {
  const value: unknown = await c.req.json().catch(() => undefined);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TestAppError('request_invalid', 'expected a JSON object');
  return value as Body;
}

function text(fields: Body, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length === 0) throw new TestAppError('request_invalid', `${name} is required`);
  return value;
}

/** `{personalNumber, givenName?, surname?}`; names default to the ready-made identity's. */
function identity(fields: Body): TestIdentity | undefined {
  const given = fields.identity;
  if (given === undefined) return undefined;
  if (typeof given !== 'object' || given === null) throw new TestAppError('request_invalid', 'identity must be an object');
  const source = given as Body;
  const base = identityFor(text(source, 'personalNumber'));
  return {
    ...base,
    givenName: typeof source.givenName === 'string' && source.givenName !== '' ? source.givenName : base.givenName,
    surname: typeof source.surname === 'string' && source.surname !== '' ? source.surname : base.surname,
  };
}

function withIdentity(fields: Body): { identity?: TestIdentity } {
  const chosen = identity(fields);
  return chosen === undefined ? {} : { identity: chosen };
}

export function createTestAppRoutes(core: SimulatorCore, testApp: TestApp): Hono {
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof TestAppError) return c.json({ error: { code: error.code, message: error.message } }, error.httpStatus);
    return c.json({ error: { code: 'internal_error', message: 'internal error' } }, 500);
  });

  app.get('/', (c) => c.html(testAppPage));
  app.get('/control/orders', (c) => c.json(testApp.pendingOrders()));
  app.get('/control/identities', (c) => c.json(testIdentities));
  app.post('/control/scan', async (c) => {
    const fields = await body(c);
    return c.json(testApp.scanQr(text(fields, 'qrData'), withIdentity(fields)));
  });
  app.post('/control/open', async (c) => {
    const fields = await body(c);
    return c.json(testApp.openByAutoStartToken(text(fields, 'autoStartToken'), withIdentity(fields)));
  });
  app.post('/control/orders/:orderRef/open-app', async (c) => {
    const order = core.orders.get(c.req.param('orderRef'));
    if (order?.autoStartToken === undefined) throw new TestAppError('order_unknown', 'no such order');
    return c.json(testApp.openByAutoStartToken(order.autoStartToken, withIdentity(await body(c))));
  });
  app.post('/control/orders/:orderRef/open-phone', (c) => {
    testApp.openPhoneOrder(c.req.param('orderRef'));
    return c.json({});
  });
  app.post('/control/orders/:orderRef/confirm-call', (c) => {
    testApp.confirmCall(c.req.param('orderRef'));
    return c.json({});
  });
  app.post('/control/orders/:orderRef/approve', async (c) => {
    testApp.approve(c.req.param('orderRef'), identity(await body(c)));
    return c.json({});
  });
  app.post('/control/orders/:orderRef/cancel', (c) => {
    testApp.cancel(c.req.param('orderRef'));
    return c.json({});
  });
  app.post('/control/orders/:orderRef/fail', async (c) => {
    testApp.fail(c.req.param('orderRef'), text(await body(c), 'hintCode'));
    return c.json({});
  });
  app.post('/control/fail-next-call', async (c) => {
    const fields = await body(c);
    const failure: InjectedFailure = { httpStatus: Number(fields.httpStatus) as InjectedFailure['httpStatus'] };
    if (typeof fields.errorCode === 'string') failure.errorCode = fields.errorCode;
    if (typeof fields.details === 'string') failure.details = fields.details;
    if (typeof fields.times === 'number') failure.times = fields.times;
    testApp.failNextCall(failure);
    return c.json({});
  });
  return app;
}
