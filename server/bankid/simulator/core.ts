/**
 * The simulator's state, shared by the RP API app and the test app: orders on the clock, the
 * completion factory on the PKI, and the queue of injected failures.
 */
import type { Clock } from '../clock.js';
import { CompletionFactory } from './completion.js';
import { InjectedFailures } from './injected-failures.js';
import { OrderBook, type RpIdentity } from './orders.js';
import type { SimulatorPki } from './pki.js';
import { rpIdentityFromCertificate } from './rp-identity.js';

export interface SimulatorCore {
  clock: Clock;
  pki: SimulatorPki;
  orders: OrderBook;
  completions: CompletionFactory;
  failures: InjectedFailures;
  /** Used for in-process calls that come without a TLS client certificate. */
  defaultRp: RpIdentity;
}

export function createSimulatorCore({ pki, clock }: { pki: SimulatorPki; clock: Clock }): SimulatorCore {
  return {
    clock,
    pki,
    orders: new OrderBook(clock),
    completions: new CompletionFactory(pki, clock),
    failures: new InjectedFailures(),
    defaultRp: { ...rpIdentityFromCertificate(pki.rp.certPem), fingerprint: undefined },
  };
}
