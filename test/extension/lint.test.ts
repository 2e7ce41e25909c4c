/**
 * Acceptance 3: `web-ext lint` (addons-linter, AMO's own rules) reports no errors on the
 * store build, the one the zips are made from.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { buildExtension } from '../../extension/build.js';

interface LintReport {
  summary: { errors: number; notices: number; warnings: number };
  errors: { code: string; message: string; file?: string }[];
  warnings: { code: string }[];
}

it('web-ext lint finds no errors in the store build', async () => {
  const sourceDir = await buildExtension({ outDir: join('dist', 'extension-test', 'lint') });
  const webExt = join(process.cwd(), 'node_modules', '.bin', 'web-ext');
  const { stdout } = await promisify(execFile)(webExt, ['lint', '--source-dir', sourceDir, '--output', 'json', '--no-input'], { maxBuffer: 16 * 1024 * 1024 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
  expect(report.errors.map(({ code, message, file }) => `${code} ${file ?? ''}: ${message}`)).toEqual([]);
  expect(report.summary.errors).toBe(0);
  // The known warnings, all of Chromium's parts that Firefox ignores: service_worker
  // (Firefox runs background.scripts), the offscreen permission and offscreen.createDocument
  // (Chromium's uploader; Firefox sends from its background page, background/send.ts),
  // and data_collection_permissions, which comes with Firefox for Android 142, after our
  // minimum 140.
  expect(report.warnings.map((warning) => warning.code).sort()).toEqual([
    'BACKGROUND_SERVICE_WORKER_IGNORED',
    'KEY_FIREFOX_ANDROID_UNSUPPORTED_BY_MIN_VERSION',
    'MANIFEST_PERMISSIONS',
    'UNSUPPORTED_API',
  ]);
}, 120_000);
