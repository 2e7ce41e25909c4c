import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Logger } from 'pino';

/**
 * SIGILL_GATEWAY=on with `npm start`: the mail gateway (gateway/, `npm run gateway`) as a
 * child process beside the server, talking to it over HTTP like any client, on loopback
 * unless SIGILL_GATEWAY_HOST says otherwise. It is restarted if it exits, and stopped
 * with the server. A separate process, so that the server never parses mail.
 */
export interface GatewayProcess {
  /** Where it listens, once it said so. */
  ready: Promise<string>;
  stop(): Promise<void>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

export function startGatewayProcess(config: Config, serverPort: number, logger: Logger): GatewayProcess {
  let child: ChildProcess | undefined;
  let stopping = false;
  let resolveReady: (where: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (resolveReady = resolve));
  const start = () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: root,
      env: { ...process.env, SIGILL_GATEWAY_KEY: config.gateway.key, SIGILL_GATEWAY_SERVER: process.env.SIGILL_GATEWAY_SERVER ?? `http://127.0.0.1:${serverPort}` },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let said = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const where = /Sigill mail gateway on (\S+)/.exec(said)?.[1];
      if (where) resolveReady(where);
      // Its JSON log lines go on to ours; the start-up lines are summed up in ours.
      for (const line of said.split('\n').slice(0, -1)) if (line.startsWith('{')) process.stdout.write(`${line}\n`);
      said = said.slice(said.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      logger.warn({ event: 'gateway_exited', code, signal }, 'the mail gateway exited; starting it again');
      setTimeout(() => !stopping && start(), 1_000).unref();
    });
  };
  start();
  return {
    ready,
    async stop() {
      stopping = true;
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
