import { Hono } from 'hono';
import { html } from 'hono/html';
import type { EmailOutboxSource } from './email-outbox.js';
import type { OutboxSource } from './sms.js';

/**
 * GET /dev/outbox: the development SMS and email outbox, newest first (embedded defaults only:
 * createApp mounts it only with the BankID simulator and the outbox transport).
 */
export function createOutboxPage(outbox: OutboxSource, emails: Pick<EmailOutboxSource, 'entries'> = { entries: () => [] }): Hono {
  const app = new Hono();
  app.use('/dev/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.get('/dev/outbox.json', async (c) => c.json({ sms: [...(await outbox.entries())].reverse(), email: [...(await emails.entries())].reverse() }));
  app.get('/dev/outbox', async (c) => {
    const rows = [...(await outbox.entries())].reverse();
    const mails = [...(await emails.entries())].reverse();
    return c.html(html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>Sigill — development SMS outbox</title>
          <style>
            body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 46rem; padding: 0 1rem; color: #1b1b1f; }
            li { border: 1px solid #ccd; border-radius: 8px; padding: .75rem 1rem; margin: .75rem 0; list-style: none; }
            pre { white-space: pre-wrap; word-break: break-all; margin: .25rem 0 0; font: inherit; }
            small { color: #555; }
          </style>
        </head>
        <body>
          <h1>Development SMS outbox</h1>
          <p>This is a development server: SMS it would have sent, with their links. Nothing here leaves this machine. Reload to refresh.</p>
          ${rows.length === 0 ? html`<p><em>No SMS yet.</em></p>` : ''}
          <ul>
            ${rows.map((row) => html`<li><small>${row.at} → ${row.to}</small><pre>${row.text}</pre></li>`)}
          </ul>
          <h2>Emails</h2>
          ${mails.length === 0 ? html`<p><em>No email yet.</em></p>` : ''}
          <ul>
            ${mails.map((mail) => html`<li><small>${mail.at} → ${mail.to}, from ${mail.fromName}</small><pre><strong>${mail.subject}</strong>

${mail.text}</pre></li>`)}
          </ul>
        </body>
      </html>`);
  });
  return app;
}
