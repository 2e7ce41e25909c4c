/**
 * The CLI speaks English by default and Swedish when the locale says so (LC_ALL,
 * LC_MESSAGES or LANG starting with `sv`), as other command-line programs do.
 *
 * @example
 * uiLanguage({ LANG: 'sv_SE.UTF-8' }) // 'sv'
 */
import type { Language } from '../client/index.js';

export type { Language };

export function uiLanguage(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^sv([_.@-]|$)/i.test(locale) ? 'sv' : 'en';
}
