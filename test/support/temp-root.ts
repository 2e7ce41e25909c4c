/**
 * vitest globalSetup: one temporary folder for the whole run, under the system's, in
 * which every test file's temporary folders and files are made (TMPDIR, which
 * os.tmpdir() reads, and which the servers, CLIs and browsers the tests start inherit).
 * The teardown removes it, also when tests failed, so a run leaves nothing in /tmp,
 * including what a test keeps to the end of its file or drops on a failure path (a
 * CLI's config folder, a CA file, a download). It is the first globalSetup, so its
 * teardown runs last, after the PostgreSQL cluster in it has stopped.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'sigill-test-run-'));
  // PostgreSQL's cluster runs as the postgres user (test/support/postgres-cluster.ts) and must reach its folder in here.
  chmodSync(root, 0o755);
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
