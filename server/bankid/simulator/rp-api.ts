/**
 * The simulated RP API v6.0, as a Hono app: `/rp/v6.0/{auth,sign,phone/auth,phone/sign,collect,cancel}`.
 * Validates like BankID: unknown path 404, not POST 405, a charset or other type 415, bad JSON or
 * fields 400 invalidParameters; error bodies are `{errorCode, details}`. Mount it behind mTLS
 * (`startBankIdSimulator`) or call it in-process with `app.request()`.
 */
import { Hono, type Context } from 'hono';
import { checkOrderRefRequest, checkOrderRequest } from '../request-fields.js';
import type { OrderPath } from '../types.js';
import type { SimulatorCore } from './core.js';
import { RpApiError } from './errors.js';
import type { Order, RpIdentity } from './orders.js';
import { rpIdentityFromSocket } from './rp-identity.js';

const maxBodyBytes = 1_000_000;
const orderPaths: OrderPath[] = ['auth', 'sign', 'phone/auth', 'phone/sign'];
const knownPaths = new Set<string>([...orderPaths, 'collect', 'cancel']);

type Env = { Bindings: { incoming?: { socket?: unknown } } };

export function createRpApiApp(core: SimulatorCore): Hono<Env> {
  const app = new Hono<Env>();

  app.onError((error, c) => {
    if (error instanceof RpApiError) return c.json({ errorCode: error.errorCode, details: error.details }, error.httpStatus);
    return c.json({ errorCode: 'internalError', details: 'Internal error' }, 500);
  });
  app.notFound((c) => c.json({ errorCode: 'notFound', details: 'No such resource' }, 404));

  app.all('/rp/v6.0/*', async (c) => {
    const injected = core.failures.take();
    if (injected !== undefined) throw injected;
    const path = c.req.path.slice('/rp/v6.0/'.length);
    if (!knownPaths.has(path)) throw new RpApiError(404, 'notFound', 'No such resource');
    if (c.req.method !== 'POST') throw new RpApiError(405, 'methodNotAllowed', 'Only POST is allowed');
    const contentType = c.req.header('content-type')?.trim().toLowerCase();
    if (contentType !== 'application/json') throw new RpApiError(415, 'unsupportedMediaType', 'Content-Type must be application/json');
    const body = await readJson(c);
    const rp = rpIdentityFromSocket(c.env?.incoming?.socket) ?? core.defaultRp;
    if (path === 'collect') return c.json(collect(core, body, rp));
    if (path === 'cancel') return c.json(cancel(core, body, rp));
    return c.json(startOrder(core, path as OrderPath, body, rp));
  });

  return app;
}

async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) throw new RpApiError(400, 'invalidParameters', 'Request body too large');
  try {
    return JSON.parse(text);
  } catch {
    throw new RpApiError(400, 'invalidParameters', 'Invalid JSON');
  }
}

function invalid(problems: string[]): RpApiError {
  return new RpApiError(400, 'invalidParameters', `Invalid parameters: ${problems.join('; ')}`);
}

function startOrder(core: SimulatorCore, kind: OrderPath, body: unknown, rp: RpIdentity): Record<string, string> {
  const checked = checkOrderRequest<Record<string, unknown>>(kind, body);
  if (!checked.ok) throw invalid(checked.problems);
  const order = core.orders.create({ kind, request: checked.value, rp });
  if (order.autoStartToken === undefined || order.qrStartToken === undefined || order.qrStartSecret === undefined) {
    return { orderRef: order.orderRef };
  }
  return {
    orderRef: order.orderRef,
    autoStartToken: order.autoStartToken,
    qrStartToken: order.qrStartToken,
    qrStartSecret: order.qrStartSecret,
  };
}

/** The caller's own order, or 400 invalidParameters as BankID answers for unknown, old or foreign ones. */
function ownOrder(core: SimulatorCore, body: unknown, rp: RpIdentity): Order {
  const checked = checkOrderRefRequest(body);
  if (!checked.ok) throw invalid(checked.problems);
  const order = core.orders.get(checked.value.orderRef);
  if (order === undefined || order.rp.fingerprint !== rp.fingerprint) throw new RpApiError(400, 'invalidParameters', 'No such order');
  return order;
}

function collect(core: SimulatorCore, body: unknown, rp: RpIdentity): Record<string, unknown> {
  const order = ownOrder(core, body, rp);
  const { state } = order;
  if (state.status === 'pending') return { orderRef: order.orderRef, status: 'pending', hintCode: state.hintCode };
  core.orders.remove(order.orderRef); // a terminal result can be collected once
  if (state.status === 'failed') return { orderRef: order.orderRef, status: 'failed', hintCode: state.hintCode };
  return { orderRef: order.orderRef, status: 'complete', completionData: state.completionData };
}

function cancel(core: SimulatorCore, body: unknown, rp: RpIdentity): Record<string, never> {
  const order = ownOrder(core, body, rp);
  if (order.state.status !== 'pending') throw new RpApiError(400, 'invalidParameters', 'Order is not pending');
  core.orders.remove(order.orderRef);
  return {};
}
