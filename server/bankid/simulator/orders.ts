/**
 * The simulator's orders and their life cycle, on an injected clock and evaluated lazily:
 * pending/outstandingTransaction until an app picks the order up; startFailed when nobody does
 * within 30 s (auth/sign); expiredTransaction after 3 min; a terminal result can be collected once,
 * within 3 min (complete) or 5 min (failed); after that the order is gone (400 invalidParameters).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { CompletionData, OrderPath } from '../types.js';
import { RpApiError } from './errors.js';
import type { TestIdentity } from './identities.js';

export const orderTimings = {
  pickupWindowMs: 30_000,
  orderLifetimeMs: 180_000,
  completeCollectableMs: 180_000,
  failedCollectableMs: 300_000,
} as const;

export type OrderState =
  | { status: 'pending'; hintCode: string }
  | { status: 'failed'; hintCode: string; endedAt: number }
  | { status: 'complete'; completionData: CompletionData; endedAt: number };

export interface Order {
  orderRef: string;
  kind: OrderPath;
  request: Record<string, unknown>;
  createdAt: number;
  /** The RP certificate that created it. */
  rp: RpIdentity;
  autoStartToken?: string;
  qrStartToken?: string;
  qrStartSecret?: string;
  /** The person required by `requirement.personalNumber` or the phone request. */
  requiredPersonalNumber: string | undefined;
  pickedUpBy?: 'qr' | 'autostart' | 'phone';
  identity?: TestIdentity;
  state: OrderState;
}

/** Who called, from the TLS client certificate. */
export interface RpIdentity {
  /** SHA-256 fingerprint; undefined when the app is called in-process without TLS. */
  fingerprint: string | undefined;
  /** Subject DN, for `srvInfo.name`. */
  subject: string;
  /** The subject's `name` attribute, for `srvInfo.displayName`. */
  displayName: string;
}

export interface NewOrder {
  kind: OrderPath;
  request: Record<string, unknown>;
  rp: RpIdentity;
}

export class OrderBook {
  private readonly orders = new Map<string, Order>();

  constructor(private readonly clock: Clock) {}

  /** Creates an order; a second order for a person with one in progress aborts both. */
  create({ kind, request, rp }: NewOrder): Order {
    const requiredPersonalNumber = kind.startsWith('phone/')
      ? (request.personalNumber as string)
      : ((request.requirement as { personalNumber?: string } | undefined)?.personalNumber);
    if (requiredPersonalNumber !== undefined) {
      const conflicting = this.pendingFor(requiredPersonalNumber);
      if (conflicting.length > 0) {
        for (const order of conflicting) this.finish(order, { status: 'failed', hintCode: 'cancelled' });
        throw new RpApiError(400, 'alreadyInProgress', 'Order already in progress for pno');
      }
    }
    const order: Order = {
      orderRef: randomUUID(),
      kind,
      request,
      createdAt: this.clock.now(),
      rp,
      requiredPersonalNumber,
      state: { status: 'pending', hintCode: 'outstandingTransaction' },
    };
    if (!kind.startsWith('phone/')) {
      order.autoStartToken = randomUUID();
      order.qrStartToken = randomUUID();
      order.qrStartSecret = randomUUID();
    }
    this.orders.set(order.orderRef, order);
    return order;
  }

  /** The order as of now, or undefined when unknown or no longer collectable. */
  get(orderRef: string): Order | undefined {
    const order = this.orders.get(orderRef);
    return order === undefined ? undefined : this.refresh(order);
  }

  find(predicate: (order: Order) => boolean): Order | undefined {
    return this.all().find(predicate);
  }

  all(): Order[] {
    return [...this.orders.values()].flatMap((order) => this.refresh(order) ?? []);
  }

  finish(order: Order, result: { status: 'failed'; hintCode: string } | { status: 'complete'; completionData: CompletionData }): void {
    order.state = { ...result, endedAt: this.clock.now() };
  }

  remove(orderRef: string): void {
    this.orders.delete(orderRef);
  }

  /** Once the app knows who the user is, that person's other pending orders end `cancelled`. */
  identify(order: Order, identity: TestIdentity): void {
    order.identity = identity;
    for (const other of this.pendingFor(identity.personalNumber)) {
      if (other !== order) this.finish(other, { status: 'failed', hintCode: 'cancelled' });
    }
  }

  private pendingFor(personalNumber: string): Order[] {
    return this.all().filter(
      (order) =>
        order.state.status === 'pending' &&
        (order.requiredPersonalNumber === personalNumber || order.identity?.personalNumber === personalNumber),
    );
  }

  private refresh(order: Order): Order | undefined {
    const now = this.clock.now();
    const { state } = order;
    if (state.status === 'pending') {
      const pickupDeadline = order.createdAt + orderTimings.pickupWindowMs;
      const lifetimeDeadline = order.createdAt + orderTimings.orderLifetimeMs;
      if (order.pickedUpBy === undefined && !order.kind.startsWith('phone/') && now >= pickupDeadline) {
        order.state = { status: 'failed', hintCode: 'startFailed', endedAt: pickupDeadline };
      } else if (now >= lifetimeDeadline) {
        order.state = { status: 'failed', hintCode: 'expiredTransaction', endedAt: lifetimeDeadline };
      }
    }
    const ended = order.state;
    if (ended.status !== 'pending') {
      const collectable = ended.status === 'complete' ? orderTimings.completeCollectableMs : orderTimings.failedCollectableMs;
      if (now >= ended.endedAt + collectable) {
        this.orders.delete(order.orderRef);
        return undefined;
      }
    }
    return order;
  }
}
