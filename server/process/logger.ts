import pino, { type Logger } from 'pino';
import type { Config } from '../config.js';

/**
 * The server's logger: pino JSON lines, each naming its process: `worker` is 1…N for
 * the HTTP workers and 0 for the primary (which runs the simulator, the outbox and the
 * purge), with the pid beside it.
 *
 * @example
 * const logger = createLogger(config, 2); // {"worker":2,"pid":…,"msg":"request",…}
 */
export function createLogger(config: Pick<Config, 'logLevel'>, worker: number): Logger {
  return pino({ level: config.logLevel, base: { worker, pid: process.pid } });
}
