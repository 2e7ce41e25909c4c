import { describe, expect, it } from 'vitest';
import { checkServerUrl } from '../../client/settings.js';

describe('checkServerUrl', () => {
  it('keeps the origin of an https address, or plain http on this machine', () => {
    expect(checkServerUrl(' https://sigill.example/ ')).toBe('https://sigill.example');
    expect(checkServerUrl('http://localhost:8787')).toBe('http://localhost:8787');
    expect(checkServerUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(checkServerUrl('http://[::1]:8787')).toBe('http://[::1]:8787');
  });

  it.each(['sigill.example', 'http://sigill.example', 'https://user:pw@sigill.example', 'https://sigill.example/api', 'https://sigill.example/?a=1', 'ftp://sigill.example'])(
    'refuses %s with server_url_invalid',
    (text) => {
      expect(() => checkServerUrl(text)).toThrow(expect.objectContaining({ code: 'server_url_invalid' }));
    },
  );
});
