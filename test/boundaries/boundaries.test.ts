import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProject, checkSource, importsOf } from '../../scripts/check-imports.js';

/** Who may import whom (client/README.md): the same rules npm test applies to the whole project. */
describe('import boundaries', () => {
  it('every folder of the project keeps to its boundary', () => {
    expect(checkProject()).toEqual([]);
  });

  it('refuses the fixture that imports server/ from recipient/', () => {
    const fixture = readFileSync(new URL('./fixtures/recipient-imports-server.ts', import.meta.url), 'utf8');
    expect(checkSource('recipient/imports-server.ts', fixture)).toEqual([
      { file: 'recipient/imports-server.ts', specifier: '../server/app.js', rule: 'recipient/ may import client/, shared/ and ui/, never server/' },
    ]);
  });

  it.each([
    ['shared/x.ts', "import { senderApi } from '../client/sender-api.js';"],
    ['shared/x.ts', "import { Hono } from 'hono';"],
    ['client/x.ts', "import { createApp } from '../server/app.js';"],
    ['client/x.ts', "import browser from 'webextension-polyfill';"],
    ['client/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['extension/background/x.ts', "export { createApp } from '../../server/app.js';"],
    ['extension/background/x.ts', "import { readFile } from 'node:fs';"],
    ['cli/x.ts', "import type { Db } from '../server/store/database.js';"],
    ['server/x.ts', "import { sendMessage } from '../client/send.js';"],
    ['server/x.ts', "const lazy = await import('../extension/messages.js');"],
    ['ui/x.ts', "import { formatSize } from '../client/sizes.js';"],
    ['ui/x.ts', "import DOMPurify from 'dompurify';"],
    ['server/x.ts', "import { h } from '../ui/dom.js';"],
    ['cli/x.ts', "import { h } from '../ui/dom.js';"],
  ])('refuses in %s: %s', (file, source) => {
    expect(checkSource(file, source)).toHaveLength(1);
  });

  it.each([
    ['shared/x.ts', "import { z } from 'zod';\nimport { checkOrigin } from './link.js';"],
    ['client/x.ts', "import type { MessageStatus } from '../shared/api.js';\nimport { ApiError } from './errors.js';"],
    ['recipient/x.ts', "import { recipientApi } from '../client/recipient-api.js';\nimport DOMPurify from 'dompurify';"],
    ['toolbox/compose/x.ts', "import { h } from '../../ui/dom.js';\nimport { acceptDrops } from '../../ui/drop-zone.js';"],
    ['server/x.ts', "import { sealReceipt } from '../shared/receipts.js';\nimport { Hono } from 'hono';"],
  ])('allows in %s: %s', (file, source) => {
    expect(checkSource(file, source)).toEqual([]);
  });

  it('finds imports, exports and dynamic imports, not comments', () => {
    expect(importsOf("// import x from 'a';\n/* import y from 'b' */\nimport z from 'c';\nexport * from 'd';\nimport 'e';\nawait import('f');")).toEqual(['c', 'd', 'e', 'f']);
  });
});
