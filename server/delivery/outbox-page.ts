import { Hono } from 'hono';
import { html } from 'hono/html';
import type { OutboxTransport } from './sms.js';

/** GET /dev/outbox: the development SMS outbox, newest first (embedded defaults only). */
export function createOutboxPage(outbox: OutboxTransport): Hono {
  const app = new Hono();
  app.get('/dev/outbox.json', (c) => c.json({ sms: [...outbox.entries()].reverse() }));
  app.get('/dev/outbox', (c) => {
    const rows = [...outbox.entries()].reverse();
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
          <p>SMS the server would have sent. Nothing here leaves this machine. Reload to refresh.</p>
          ${rows.length === 0 ? html`<p><em>No SMS yet.</em></p>` : ''}
          <ul>
            ${rows.map((row) => html`<li><small>${row.at} → ${row.to}</small><pre>${row.text}</pre></li>`)}
          </ul>
        </body>
      </html>`);
  });
  return app;
}
