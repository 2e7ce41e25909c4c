#!/usr/bin/env node
// The `sigill` bin: runs cli/main.ts through tsx, as `npm run sigill` does.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
