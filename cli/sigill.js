#!/usr/bin/env node
// Runs cli/main.ts from the sources through tsx, as `npm run sigill` does (development and
// the tests). The installed `sigill` bin is dist/cli/sigill.mjs, built by `npm run build:cli`.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
