/**
 * Who may import whom (client/README.md, the root README's layout table), checked on
 * every import and export-from of every TypeScript file. `npm test` runs it through
 * test/boundaries.test.ts; `npx tsx scripts/check-imports.ts` prints the violations and
 * exits 1 when there are any.
 *
 * - shared/ imports only shared/ and small pure libraries;
 * - client/ imports only shared/ (and itself), no package of its own;
 * - ui/ (the pages' element builder, drop zone and base stylesheet) imports nothing;
 * - extension/, recipient/, toolbox/, cli/, gateway/ import client/ and shared/, never server/ (the
 *   pages also ui/, toolbox/ also the recipient page's QR and BankID modules);
 *   the extension and the recipient page use no Node module (their build scripts aside);
 * - server/ imports shared/, never client/ or an app.
 *
 * @example
 * checkSource('recipient/main.ts', "import { x } from '../server/app.js';")
 * // [{ file: 'recipient/main.ts', specifier: '../server/app.js', rule: 'recipient/ may import client/ and shared/, never server/' }]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

interface Rule {
  /** Project folders (top-level) this folder may import from, besides itself. */
  folders: string[];
  /** Packages it may import: exact names or prefixes ending in '/'. */
  packages: (specifier: string, file: string) => boolean;
  text: string;
}

const sharedPackages = ['zod', '@noble/hashes/', '@hpke/core', '@hpke/dhkem-x25519', 'libphonenumber-js/', 'personnummer', '#aes-gcm'];
const packageOf = (allowed: string[]) => (specifier: string) => allowed.some((name) => (name.endsWith('/') ? specifier.startsWith(name) : specifier === name));
/** The Node back end of shared/'s AES-GCM, picked by package.json's #aes-gcm for Node only. */
const nodeBackEnds = new Set(['shared/aes-gcm/node.ts']);
/** Build scripts of the apps run in Node, not in the browser. */
const buildScripts = new Set(['extension/build.ts', 'extension/icons.ts', 'recipient/vite.config.ts', 'toolbox/vite.config.ts']);
const notNode = (specifier: string, file: string) => !specifier.startsWith('node:') || buildScripts.has(file);

export const rules: Record<string, Rule> = {
  shared: {
    folders: [],
    packages: (specifier, file) => packageOf(sharedPackages)(specifier) || (nodeBackEnds.has(file) && specifier.startsWith('node:')),
    text: 'shared/ may import only shared/ and small pure libraries',
  },
  client: { folders: ['shared'], packages: () => false, text: 'client/ may import only shared/' },
  ui: { folders: [], packages: () => false, text: 'ui/ may import nothing' },
  extension: { folders: ['client', 'shared', 'ui'], packages: notNode, text: 'extension/ may import client/, shared/ and ui/, never server/' },
  recipient: { folders: ['client', 'shared', 'ui'], packages: notNode, text: 'recipient/ may import client/, shared/ and ui/, never server/' },
  // The sign-in draws BankID's QR code and messages with the recipient page's own modules (recipient/qr.ts, bankid.ts).
  toolbox: { folders: ['client', 'shared', 'ui', 'recipient'], packages: notNode, text: 'toolbox/ may import client/, shared/, ui/ and the recipient page\'s modules, never server/' },
  cli: { folders: ['client', 'shared'], packages: () => true, text: 'cli/ may import client/ and shared/, never server/' },
  gateway: { folders: ['client', 'shared'], packages: () => true, text: 'gateway/ may import client/ and shared/, never server/' },
  server: { folders: ['shared'], packages: () => true, text: 'server/ may import shared/, never client/ or an app' },
};

const importPattern = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [...withoutComments.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** The violations of one file, given its path from the project root and its text. */
export function checkSource(file: string, source: string): Violation[] {
  const folder = file.split('/')[0]!;
  const rule = rules[folder];
  if (!rule) return [];
  const violations: Violation[] = [];
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith('.')) {
      const target = normalize(join(dirname(file), specifier)).replace(/\\/g, '/');
      const targetFolder = target.split('/')[0]!;
      if (target.startsWith('..') || (targetFolder !== folder && !rule.folders.includes(targetFolder))) violations.push({ file, specifier, rule: rule.text });
    } else if (!rule.packages(specifier, file)) {
      violations.push({ file, specifier, rule: rule.text });
    }
  }
  return violations;
}

export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

function sourceFiles(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(projectRoot, folder), { withFileTypes: true, recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts)$/.test(entry.name))
    .map((entry) => relative(projectRoot, join(entry.parentPath, entry.name)).replace(/\\/g, '/'))
    .filter((file) => !file.includes('node_modules/'));
}

/** Every violation in the project. */
export function checkProject(): Violation[] {
  return Object.keys(rules).flatMap((folder) => sourceFiles(folder).flatMap((file) => checkSource(file, readFileSync(join(projectRoot, file), 'utf8'))));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const violations = checkProject();
  for (const violation of violations) console.error(`${violation.file}: imports ${violation.specifier} — ${violation.rule}`);
  console.log(violations.length === 0 ? 'imports: every folder keeps to its boundary' : `imports: ${violations.length} violations`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}
