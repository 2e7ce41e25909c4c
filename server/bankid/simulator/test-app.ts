/**
 * The "BankID test app": what a user's BankID app does to an order, for tests and for the web page.
 * Scanning checks the QR's HMAC and that it is at most a couple of seconds old, as the real app does.
 *
 * @example
 * const { orderRef } = testApp.scanQr(qrData(...), { identity });
 * testApp.approve(orderRef); // collect now answers complete
 */
import { isPersonalNumber } from '../request-fields.js';
import { isQrAuthCodeValid, parseQrData, qrTimeAt } from '../qr.js';
import type { SimulatorCore } from './core.js';
import { TestAppError } from './errors.js';
import { identityFor, type TestIdentity } from './identities.js';
import type { InjectedFailure } from './injected-failures.js';
import type { Order } from './orders.js';

/** How old (in whole seconds) a scanned QR code may be. */
export const qrMaxAgeSeconds = 2;

export interface PickupOptions {
  /** The app's BankID; known at pickup it cancels the person's other pending orders. */
  identity?: TestIdentity;
}

export interface OrderSummary {
  orderRef: string;
  kind: Order['kind'];
  hintCode: string;
  requiredPersonalNumber: string | undefined;
  /** Decoded `userVisibleData`, what the app would show. */
  userVisibleText: string | undefined;
  pickedUpBy: Order['pickedUpBy'];
}

export interface TestApp {
  scanQr(qrData: string, options?: PickupOptions): { orderRef: string };
  openByAutoStartToken(autoStartToken: string, options?: PickupOptions): { orderRef: string };
  /** Phone orders: the app shows "are you in a call with …?" (userCallConfirm). */
  openPhoneOrder(orderRef: string): void;
  /** Phone orders: the user confirms the call (userSign). */
  confirmCall(orderRef: string): void;
  /** Completes the order as `identity` (default: the pickup identity, the required person, or Test Testsson). */
  approve(orderRef: string, identity?: TestIdentity): void;
  /** The user cancels in the app (userCancel). */
  cancel(orderRef: string): void;
  /** Ends the order with any failed hint code (certificateErr, startFailed, userDeclinedCall, …). */
  fail(orderRef: string, hintCode: string): void;
  /** The next RP API call(s) answer with this error. */
  failNextCall(failure: InjectedFailure): void;
  pendingOrders(): OrderSummary[];
}

export function createTestApp(core: SimulatorCore): TestApp {
  const { orders } = core;

  function pendingOrder(orderRef: string): Order {
    const order = orders.get(orderRef);
    if (order === undefined) throw new TestAppError('order_unknown', 'no such order');
    if (order.state.status !== 'pending') throw new TestAppError('order_not_pending', 'the order has already ended');
    return order;
  }

  function checkedIdentity(order: Order, identity: TestIdentity): TestIdentity {
    if (!isPersonalNumber(identity.personalNumber)) throw new TestAppError('request_invalid', 'not a valid 12-digit personal number');
    if (order.requiredPersonalNumber !== undefined && order.requiredPersonalNumber !== identity.personalNumber) {
      throw new TestAppError('personal_number_mismatch', 'the order requires another person');
    }
    if (order.identity !== undefined && order.identity.personalNumber !== identity.personalNumber) {
      throw new TestAppError('personal_number_mismatch', 'the order was picked up with another BankID');
    }
    return identity;
  }

  function pickUp(order: Order, via: 'qr' | 'autostart', options: PickupOptions): { orderRef: string } {
    if (order.pickedUpBy !== undefined) throw new TestAppError('order_already_started', 'the order was already picked up');
    if (options.identity !== undefined) orders.identify(order, checkedIdentity(order, options.identity));
    order.pickedUpBy = via;
    const identified = order.identity !== undefined || via === 'qr';
    const mrtd = (order.request.requirement as { mrtd?: boolean } | undefined)?.mrtd === true;
    order.state = { status: 'pending', hintCode: !identified ? 'started' : mrtd ? 'userMrtd' : 'userSign' };
    return { orderRef: order.orderRef };
  }

  function phoneOrder(orderRef: string): Order {
    const order = pendingOrder(orderRef);
    if (!order.kind.startsWith('phone/')) throw new TestAppError('request_invalid', 'not a phone order');
    order.pickedUpBy = 'phone';
    return order;
  }

  return {
    scanQr(qrData, options = {}) {
      const parsed = parseQrData(qrData);
      if (parsed === undefined) throw new TestAppError('qr_malformed', 'not BankID QR content');
      const order = orders.find((candidate) => candidate.qrStartToken === parsed.qrStartToken);
      if (order === undefined || order.qrStartSecret === undefined) throw new TestAppError('qr_unknown', 'no order for this QR code');
      if (!isQrAuthCodeValid(order.qrStartSecret, parsed)) throw new TestAppError('qr_auth_code_invalid', 'the QR code is not genuine');
      const elapsed = qrTimeAt(order.createdAt, core.clock.now());
      if (parsed.qrTime > elapsed + 1) throw new TestAppError('qr_not_yet_valid', 'the QR code is from the future');
      if (elapsed - parsed.qrTime > qrMaxAgeSeconds) throw new TestAppError('qr_too_old', 'QR-koden är ogiltig eftersom den är för gammal');
      if (order.state.status !== 'pending') throw new TestAppError('order_not_pending', 'the order has already ended');
      return pickUp(order, 'qr', options);
    },
    openByAutoStartToken(autoStartToken, options = {}) {
      const order = orders.find((candidate) => candidate.autoStartToken === autoStartToken);
      if (order === undefined) throw new TestAppError('auto_start_token_unknown', 'no order for this autoStartToken');
      if (order.state.status !== 'pending') throw new TestAppError('order_not_pending', 'the order has already ended');
      return pickUp(order, 'autostart', options);
    },
    openPhoneOrder(orderRef) {
      phoneOrder(orderRef).state = { status: 'pending', hintCode: 'userCallConfirm' };
    },
    confirmCall(orderRef) {
      phoneOrder(orderRef).state = { status: 'pending', hintCode: 'userSign' };
    },
    approve(orderRef, identity) {
      const order = pendingOrder(orderRef);
      if (order.pickedUpBy === undefined && !order.kind.startsWith('phone/')) {
        throw new TestAppError('order_not_started', 'scan the QR code or open the autostart link first');
      }
      const chosen = checkedIdentity(order, identity ?? order.identity ?? identityFor(order.requiredPersonalNumber ?? '199908072391'));
      orders.identify(order, chosen);
      orders.finish(order, { status: 'complete', completionData: core.completions.build(order, chosen) });
    },
    cancel(orderRef) {
      orders.finish(pendingOrder(orderRef), { status: 'failed', hintCode: 'userCancel' });
    },
    fail(orderRef, hintCode) {
      if (!/^[A-Za-z]{1,64}$/.test(hintCode)) throw new TestAppError('request_invalid', 'hintCode must be letters');
      orders.finish(pendingOrder(orderRef), { status: 'failed', hintCode });
    },
    failNextCall(failure) {
      try {
        core.failures.add(failure);
      } catch {
        throw new TestAppError('request_invalid', 'unsupported HTTP status');
      }
    },
    pendingOrders() {
      return orders
        .all()
        .filter((order) => order.state.status === 'pending')
        .map((order) => ({
          orderRef: order.orderRef,
          kind: order.kind,
          hintCode: order.state.status === 'pending' ? order.state.hintCode : '',
          requiredPersonalNumber: order.requiredPersonalNumber,
          userVisibleText:
            typeof order.request.userVisibleData === 'string' ? Buffer.from(order.request.userVisibleData, 'base64').toString('utf8') : undefined,
          pickedUpBy: order.pickedUpBy,
        }));
    },
  };
}
