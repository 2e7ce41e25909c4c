/**
 * The secure compose frame: its send dialog in a small frame (issue 10), and the frame
 * on hostile ground (issue 15 items 10 and 11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRecipient, pressSendSecure, secureFrame } from './flow.js';
import { chromiumSuite } from './session.js';

const suite = chromiumSuite('compose-frame');
beforeAll(() => suite.start(), 120_000);
afterAll(() => suite.stop());

describe('the send dialog', () => {
  it('keeps its Send button in view in a small compose frame, however many recipients', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    for (const name of ['Anna', 'Bo', 'Cecilia', 'David']) await addRecipient(page, 'to', `${name.toLowerCase()}@example.se`, name);
    await pressSendSecure(page);
    const frame = await secureFrame(page);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByRole('button', { name: 'Add an SMS recipient' }).click();
    const send = frame.getByRole('button', { name: 'Send secure' });
    await send.waitFor();
    const where = await send.evaluate((button) => {
      const box = button.getBoundingClientRect();
      return { top: box.top, bottom: box.bottom, height: innerHeight, page: document.documentElement.scrollHeight };
    });
    expect(where.page).toBeGreaterThan(where.height); // the dialog is taller than the frame
    expect(where.top).toBeGreaterThanOrEqual(0);
    expect(where.bottom).toBeLessThanOrEqual(where.height);
    await page.close();
  }, 60_000);
});
