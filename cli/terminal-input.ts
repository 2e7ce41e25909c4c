/**
 * What the CLI reads instead of arguments (which every user of the machine can see):
 * a secret typed on the terminal without echo, or piped in on standard input; and the
 * message text from standard input (`--text -`).
 *
 * @example
 * const token = await readSecret('API token: ', 'token_missing');
 * const text = await readStandardInput();
 */
import { CliError } from './errors.js';

export async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * On a terminal: shows `prompt` on standard error and reads one line without echo.
 * Otherwise: the first line of standard input. Throws `emptyCode` when nothing came.
 */
export async function readSecret(prompt: string, emptyCode: string, emptyMessage: string): Promise<string> {
  const value = process.stdin.isTTY ? await readHidden(prompt) : firstLine(await readStandardInput());
  if (value === '') throw new CliError(emptyCode, emptyMessage);
  return value;
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  input.setRawMode(true); // before the prompt: what is typed after it must not echo
  process.stderr.write(prompt);
  input.setEncoding('utf8');
  input.resume();
  let typed = '';
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: CliError) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.trim());
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || (character === '\u0004' && typed === '')) return finish();
        if (character === '\u0003') return finish(new CliError('cancelled', 'cancelled'));
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else if (character >= ' ') typed += character;
      }
    };
    input.on('data', onData);
  });
}
