/**
 * `npm run conformance -- <vectors.json>`: checks this implementation against any
 * vectors file of the shape of test/vectors/format-v1.json and ends with the line
 * `N passed, M failed`. Exits non-zero when anything failed.
 */
import { readFile } from 'node:fs/promises';
import { runConformance, type Vectors } from '../test/vectors/conformance.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: npm run conformance -- <vectors.json>');
  process.exit(2);
}
let vectors: Vectors;
try {
  vectors = JSON.parse(await readFile(path, 'utf8')) as Vectors;
} catch (error) {
  console.error(`cannot read ${path}: ${(error as Error).message}`);
  process.exit(2);
}
const results = await runConformance(vectors);
for (const result of results) {
  console.log(`${result.ok ? 'pass' : 'FAIL'}  ${result.name}${result.detail === 'ok' ? '' : `  — ${result.detail}`}`);
}
const passed = results.filter((r) => r.ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length ? 0 : 1);
