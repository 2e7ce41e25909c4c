import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { startupText } from '../../server/process/startup-text.js';

const facts = { url: 'http://localhost:8787', workers: 2, testAppUrl: 'http://localhost:8788/', senderId: 'sender-1' };

describe('what npm start prints', () => {
  it('on the development defaults: one host name, a development warning, and the next steps with the CLI', () => {
    const config = loadConfig({});
    const text = startupText(config, { ...facts, demoToken: 'sgl_demo', demoAdmin: true, cli: true });
    expect(text.split('\n')[0]).toBe('Sigill is running at http://localhost:8787  (2 workers)');
    expect(config.publicOrigin).toBe('http://localhost:8787');
    expect(text).toContain('DEVELOPMENT SERVER');
    expect(text.split('\n').filter((line) => line.includes('/toolbox/'))).toEqual(['  Toolbox          http://localhost:8787/toolbox/  (Sign in with BankID as Test Testsson, 199908072391, in the test app)']);
    expect(text).toContain('  sgl_demo');
    expect(text).toContain('npm run sigill -- login --server http://localhost:8787');
    expect(text).toContain('npm run sigill -- send --to "<your mobile>&login=199908072391"');
    expect(text).toContain('http://localhost:8787/dev/outbox');
    expect(text).toContain('dist/extension');
    expect(text).toContain('npm run admin -- create-token --sender sender-1');
    expect(text).not.toMatch(/127\.0\.0\.1/);
    expect(text.split('\n').length).toBeLessThanOrEqual(22);
  });

  it('names only what exists: without the CLI, no sigill command', () => {
    const text = startupText(loadConfig({}), { ...facts, cli: false });
    expect(text).not.toContain('npm run sigill');
    expect(text).toContain('dist/extension');
    expect(text).not.toContain('API token');
  });

  it('with a real BankID: no development warning, no outbox, no test identities', () => {
    const config = loadConfig({ SIGILL_BANKID: 'production', SIGILL_BANKID_PFX: '/rp.p12', SIGILL_BANKID_CA: '/ca.pem', SIGILL_PUBLIC_ORIGIN: 'https://sigill.example.se' });
    const text = startupText(config, { url: 'http://localhost:8787', workers: 2, cli: true });
    expect(text).not.toMatch(/DEVELOPMENT|outbox|199908072391/);
    expect(text).toContain('Public origin    https://sigill.example.se');
  });
});
