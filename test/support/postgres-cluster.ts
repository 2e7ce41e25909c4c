import { execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A throwaway PostgreSQL cluster from Debian's `postgresql` package: `initdb` into a
 * temporary folder, `pg_ctl` on a Unix socket only (no TCP port, so parallel runs never
 * collide), fsync off. About 2 s. As root (CI) the server runs as the `postgres` user
 * through `runuser`, since PostgreSQL refuses to run as root.
 *
 * Tests use test/support/postgres.ts (one cluster per vitest run, a fresh database per
 * test file); this module is for anything that needs its own cluster, such as the bench.
 *
 * @example
 * const cluster = await startPostgresCluster();
 * await cluster.createDatabase('bench');
 * const url = cluster.url('bench'); // postgres://sigill@localhost/bench?host=%2Ftmp%2Fsigill-pg-…&port=5432
 * await cluster.stop();
 */

/** Where a running cluster is: plain data, so it can pass between processes. */
export interface ClusterAddress {
  /** The cluster's folder: the Unix socket (PGHOST), `data/` and the log. */
  readonly root: string;
  /** Names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP. */
  readonly port: number;
  /** The superuser, trusted on the socket without a password. */
  readonly user: string;
}

export interface ClusterClient {
  /** A connection URL for `pg` (and libpq) to one database of the cluster. */
  url(database: string): string;
  /** CREATE DATABASE, as a copy of `template` (template0 by default). */
  createDatabase(name: string, template?: string): Promise<void>;
  /** Runs SQL through psql on one database (for fixtures and checks, not for the app). */
  psql(database: string, sql: string): Promise<string>;
}

export interface PostgresCluster extends ClusterAddress, ClusterClient {
  /** Stops the server at once and removes its folder. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /**
   * A process whose end also stops the cluster, through a small watchdog shell: the
   * cluster then goes away even when that process is killed and no cleanup code runs.
   */
  watchPid?: number;
  /** Where to make the cluster's folder (default: the OS temporary folder). */
  parent?: string;
}

/** SIGILL_POSTGRES_BIN, else the newest of Debian's /usr/lib/postgresql/<version>/bin (not on PATH). */
export const POSTGRES_BIN = process.env.SIGILL_POSTGRES_BIN ?? newestDebianPostgres();

function newestDebianPostgres(): string {
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name)) : [];
  const newest = versions.map(Number).sort((a, b) => b - a)[0] ?? 15;
  return `/usr/lib/postgresql/${newest}/bin`;
}
const port = 5432;
const user = 'sigill';
const run = promisify(execFile);
const asRoot = userInfo().uid === 0;

/** Runs one PostgreSQL program, as `postgres` when we are root. */
function command(program: string, args: string[]): [string, string[]] {
  const path = join(POSTGRES_BIN, program);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

async function runProgram(program: string, args: string[]): Promise<string> {
  const [file, argv] = command(program, args);
  try {
    const { stdout } = await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${program} failed: ${(stderr ?? '').trim() || message}`);
  }
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  if (!existsSync(join(POSTGRES_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL is not installed (no ${POSTGRES_BIN}/initdb): apt-get install -y postgresql`);
  }
  const root = mkdtempSync(join(options.parent ?? tmpdir(), 'sigill-pg-'));
  const address: ClusterAddress = { root, port, user };
  const data = join(root, 'data');
  try {
    if (asRoot) chownSync(root, ...postgresIds());
    await runProgram('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    const settings = [
      "listen_addresses=''",
      `unix_socket_directories='${root}'`,
      `port=${port}`,
      'fsync=off',
      'synchronous_commit=off',
      'full_page_writes=off',
      'max_connections=300',
      'shared_buffers=32MB',
    ];
    const serverOptions = settings.map((setting) => `-c ${setting}`).join(' ');
    await runProgram('pg_ctl', ['-D', data, '-l', join(root, 'postgres.log'), '-w', '-t', '60', '-o', serverOptions, 'start']);
    if (options.watchPid !== undefined) startWatchdog(options.watchPid, root);
  } catch (error) {
    await stopCluster(address);
    throw error;
  }
  return { ...address, ...connectCluster(address), stop: () => stopCluster(address) };
}

/** Talks to a cluster another process started. */
export function connectCluster({ root, port, user }: ClusterAddress): ClusterClient {
  const socket = ['-h', root, '-p', String(port), '-U', user];
  return {
    // A WHATWG-valid URL; the `host` parameter (the socket's folder) overrides `localhost` in pg and libpq.
    url: (database) => `postgres://${user}@localhost/${encodeURIComponent(database)}?host=${encodeURIComponent(root)}&port=${port}`,
    async createDatabase(name, template = 'template0') {
      // FILE_COPY copies the template's files; the default (WAL_LOG) writes them all through the WAL.
      await runProgram('createdb', [...socket, '-T', template, '-S', 'FILE_COPY', name]);
    },
    psql: (database, sql) => runProgram('psql', [...socket, '-d', database, '-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-c', sql]),
  };
}

/** Stops the server at once (no checkpoint: the data is thrown away) and removes the folder. */
export async function stopCluster({ root }: ClusterAddress): Promise<void> {
  const watchdog = join(root, 'watchdog.pid');
  if (existsSync(watchdog)) {
    try {
      process.kill(Number(readFileSync(watchdog, 'utf8')));
    } catch {
      // already gone
    }
  }
  const data = join(root, 'data');
  if (existsSync(join(data, 'postmaster.pid'))) {
    await runProgram('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  }
  rmSync(root, { recursive: true, force: true });
}

/** Debian's package creates the `postgres` user. */
function postgresIds(): [number, number] {
  try {
    return [Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }))];
  } catch {
    throw new Error('there is no `postgres` user: apt-get install -y postgresql');
  }
}

/** Detached: it outlives a killed parent, and stops the cluster once `pid` is gone. */
function startWatchdog(pid: number, root: string): void {
  const [stopFile, stopArgs] = command('pg_ctl', ['-D', join(root, 'data'), '-m', 'immediate', 'stop']);
  const quoted = [stopFile, ...stopArgs].map((part) => `'${part.replaceAll("'", `'\\''`)}'`).join(' ');
  const script = `while kill -0 ${pid} 2>/dev/null; do sleep 1; done; ${quoted} >/dev/null 2>&1; rm -rf '${root}'`;
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  writeFileSync(join(root, 'watchdog.pid'), String(child.pid));
}
