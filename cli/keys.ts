/**
 * `sigill keys export FILE` / `sigill keys import FILE`: the receipt key ring in the one
 * backup format (client/README.md), written 0600. Export refuses to replace a file
 * unless `--force`: an older backup may be the only copy of older keys.
 *
 * @example
 * sigill keys export ~/sigill-keys.json
 * sigill --config ~/laptop keys import ~/sigill-keys.json
 */
import { existsSync, readFileSync } from 'node:fs';
import { receiptKeyRing } from '../client/index.js';
import { parseCommandLine } from './args.js';
import { writePrivateFile } from './config-dir.js';
import { commandContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import type { Output } from './output.js';
import { texts } from './texts.js';

export async function keys(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { options: { force: { type: 'boolean' } }, positionals: ['export|import', 'FILE'], required: 2 });
  const context = commandContext(values.config as string | undefined, process.env);
  const t = texts[context.language];
  const ring = receiptKeyRing(context.stores.keys);
  const [action, name] = positionals as [string, string];
  const file = context.path(name);
  if (action === 'export') {
    if (existsSync(file) && !values.force) throw new CliError('file_exists', `${file} exists; choose another name, or add --force to replace it`);
    writePrivateFile(file, await ring.exportBackup());
    output.line(t.exported(file));
    return 0;
  }
  if (action === 'import') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError('file_unreadable', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    await ring.importBackup(text);
    output.line(t.imported);
    return 0;
  }
  throw new UsageError('keys_action_unknown', 'sigill keys export FILE, or sigill keys import FILE');
}
