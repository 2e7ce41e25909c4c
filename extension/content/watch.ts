/**
 * Finds composers: one scan at start (a compose may already be open) and one after each
 * burst of DOM changes (a debounced MutationObserver on document.body, with a ceiling so
 * a busy webmail cannot starve it). Each composer root is handled once.
 *
 * @example
 * watchComposers(gmail, (composer) => attach(composer));
 */
import type { Composer, WebmailAdapter } from './adapter.js';

const quietMs = 150;
const longestWaitMs = 1000;

export function watchComposers(adapter: WebmailAdapter, handle: (composer: Composer) => void): () => void {
  const handled = new WeakSet<HTMLElement>();
  const scan = () => {
    for (const composer of adapter.findComposers(document)) {
      if (handled.has(composer.root)) continue;
      handled.add(composer.root);
      handle(composer);
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstChange = 0;
  const observer = new MutationObserver(() => {
    const now = Date.now();
    if (timer === undefined) firstChange = now;
    clearTimeout(timer);
    const wait = now - firstChange >= longestWaitMs ? 0 : quietMs;
    timer = setTimeout(() => {
      timer = undefined;
      scan();
    }, wait);
  });
  scan();
  observer.observe(document.body, { childList: true, subtree: true });
  return () => observer.disconnect();
}
