/**
 * `npm start`: the server on its embedded defaults (libsql file in ./data, the BankID
 * simulator, the SMS outbox), or as configured by the environment (README). The first
 * process is the primary (server/process/primary.ts); with SIGILL_WORKERS above 1 it
 * forks the HTTP workers (server/process/worker.ts), which run this file again.
 */
import cluster from 'node:cluster';
import { mkdirSync } from 'node:fs';
import { ConfigError, loadConfig } from './config.js';
import { runPrimary } from './process/primary.js';
import { runWorker } from './process/worker.js';

// Everything the server writes (database, WAL, blobs, the simulator's keys) is for its
// own user only: files 0600, folders 0700.
process.umask(0o077);
try {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  if (cluster.isWorker) await runWorker(config, Number(process.env.SIGILL_WORKER ?? cluster.worker?.id ?? 1));
  else await runPrimary(config);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
