/**
 * Live refresh while a view is open: polls every `fastMs` while the answer changes, then
 * backs off (doubling up to `slowMs`) while it stays the same or fails; a hidden tab waits
 * until it is shown again. `stop()` ends it, and any answer still on its way is dropped.
 *
 * @example
 * const poll = poller(() => api.messages(), (list) => render(list), { fastMs: 3000 });
 * poll.stop();
 */
export interface Poller {
  /** Poll now (after a revoke, say) and go back to the fast pace. */
  now(): void;
  stop(): void;
}

export function poller<T>(load: () => Promise<T>, onResult: (result: T) => void, options: { fastMs?: number; slowMs?: number; onError?: (error: unknown) => void; same?: (a: T, b: T) => boolean } = {}): Poller {
  const fastMs = options.fastMs ?? 3000;
  const slowMs = options.slowMs ?? 60_000;
  const same = options.same ?? ((a, b) => JSON.stringify(a) === JSON.stringify(b));
  let delay = fastMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let last: T | undefined;
  let running = false;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(tick, delay);
  };
  const tick = async () => {
    if (stopped || running) return;
    if (document.hidden) return void document.addEventListener('visibilitychange', tick, { once: true });
    running = true;
    try {
      const result = await load();
      if (stopped) return;
      delay = last !== undefined && same(last, result) ? Math.min(delay * 2, slowMs) : fastMs;
      last = result;
      onResult(result);
    } catch (error) {
      if (stopped) return;
      delay = Math.min(delay * 2, slowMs);
      options.onError?.(error);
    } finally {
      running = false;
    }
    schedule();
  };
  void tick();
  return {
    now() {
      delay = fastMs;
      clearTimeout(timer);
      void tick();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', tick);
    },
  };
}
