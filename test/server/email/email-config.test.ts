import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { smtpOptionsOf } from '../../../server/delivery/email-config.js';
import { parseDeliveryStatus, outcomeOfDsn, parseBounceAddress } from '../../../server/delivery/email-bounces.js';
import { emailParts, subjectOf } from '../../../server/delivery/email-message.js';
import { maskEmailAddress } from '../../../server/delivery/email-relay.js';

const fail = (message: string) => new Error(message);

describe('email settings', () => {
  it('requires STARTTLS on smtp://, TLS from the start on smtps://, and allows tls=off only on loopback', () => {
    expect(smtpOptionsOf('smtp://u:p%40ss@relay.example', fail)).toMatchObject({ host: 'relay.example', port: 587, secure: false, requireTLS: true, ignoreTLS: false, auth: { user: 'u', pass: 'p@ss' } });
    expect(smtpOptionsOf('smtps://relay.example', fail)).toMatchObject({ port: 465, secure: true, requireTLS: false });
    expect(smtpOptionsOf('smtp://127.0.0.1:25?tls=off', fail)).toMatchObject({ port: 25, requireTLS: false, ignoreTLS: true });
    expect(smtpOptionsOf('smtp://localhost:25?requireTLS=false', fail)).toMatchObject({ requireTLS: false, ignoreTLS: true });
    expect(() => smtpOptionsOf('smtp://relay.example:25?tls=off', fail)).toThrow(/loopback/);
    expect(() => smtpOptionsOf('http://relay.example', fail)).toThrow(/smtp:\/\/ or smtps:\/\//);
  });

  it('needs SIGILL_MAIL_FROM with an SMTP URL and all three DKIM settings or none', () => {
    expect(() => loadConfig({ SIGILL_SMTP_URL: 'smtp://relay.example' })).toThrow(/SIGILL_MAIL_FROM/);
    expect(() => loadConfig({ SIGILL_SMTP_URL: 'smtp://relay.example', SIGILL_MAIL_FROM: 'x@y.se', SIGILL_DKIM_DOMAIN: 'y.se' })).toThrow(/DKIM/);
    const { email } = loadConfig({ SIGILL_SMTP_URL: 'smtp://relay.example', SIGILL_MAIL_FROM: 'no-reply@sigill.example.se', SIGILL_BOUNCE_SMTP_PORT: '2525' });
    expect(email).toMatchObject({ bounceDomain: 'sigill.example.se', bounceSmtpPort: 2525, bounceSmtpHost: '127.0.0.1', dkim: null });
    expect(loadConfig({}).email).toMatchObject({ smtpUrl: '', bounceSmtpPort: null });
  });
});

describe('email message and bounces', () => {
  it('keeps a header-breaking errand on one subject line and escapes it in the HTML', () => {
    expect(subjectOf('Avtal\r\nBcc: evil@example.com')).toBe('Avtal');
    const link = 'https://sigill.example/o/abc#k"x';
    const { html } = emailParts(`<script>x</script>\n\nÖppna länken.\n${link}`, link, 'sv');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="https://sigill.example/o/abc#k&quot;x"');
  });

  it('masks an address to its first letter and domain', () => {
    expect(maskEmailAddress('anna.andersson@Example.SE')).toBe('a…@example.se');
  });

  it('reads Action and Status from a delivery-status body, folded lines included', () => {
    const report = parseDeliveryStatus('Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822;\n a@b.se\nAction: failed\nStatus: 5.1.1 (no such user)\n');
    expect(report).toEqual({ action: 'failed', status: '5.1.1' });
    expect(outcomeOfDsn(report!)).toEqual({ status: 'failed', reason: 'provider_report', providerError: '5.1.1' });
    expect(outcomeOfDsn({ action: 'delayed', status: '4.4.7' })).toMatchObject({ status: 'delayed' });
    expect(outcomeOfDsn({ action: 'delivered', status: '2.0.0' })).toBeUndefined();
    expect(parseDeliveryStatus('Action: failed\n')).toBeUndefined();
  });

  it('takes only bounce addresses of its own domain', () => {
    const address = `bounce+${'d'.repeat(22)}.${'t'.repeat(43)}@bounces.sigill.test`;
    expect(parseBounceAddress(address, 'Bounces.Sigill.Test')).toEqual({ deliveryId: 'd'.repeat(22), token: 't'.repeat(43) });
    expect(parseBounceAddress(address, 'other.test')).toBeUndefined();
    expect(parseBounceAddress('postmaster@bounces.sigill.test', 'bounces.sigill.test')).toBeUndefined();
  });
});
