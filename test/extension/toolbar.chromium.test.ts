/**
 * Issue 10: "Send secure" survives the webmail re-rendering its compose toolbar. Gmail
 * and Outlook replace the toolbar's children when a recipient is added, on resize and
 * when the formatting options open; the fixtures do the same (`__fixture.rerenderToolbar`,
 * and every `addRecipient`). Every compose window keeps exactly one button, and it works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { addRecipient, linkPattern, pageLog, pressSendSecure, secureFrame, sendSecureButtons, waitForSealed, writeSecret } from './flow.js';
import { chromiumSuite } from './session.js';

const suite = chromiumSuite('toolbar');
beforeAll(() => suite.start(), 120_000);
afterAll(() => suite.stop());

async function rerenderToolbar(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { __fixture: { rerenderToolbar(): void } }).__fixture.rerenderToolbar());
}

/** Re-render, add a recipient, re-render with the frame open: one button throughout, and it seals. */
async function survivesRerenders(page: Page, send: () => Promise<void>): Promise<void> {
  await expect.poll(() => sendSecureButtons(page), { timeout: 15_000 }).toHaveLength(1);
  await rerenderToolbar(page);
  expect(await sendSecureButtons(page)).toHaveLength(1);
  await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
  expect(await sendSecureButtons(page)).toHaveLength(1);

  await pressSendSecure(page);
  const frame = await writeSecret(page, `Hemligt ${Date.now()}`);
  await rerenderToolbar(page);
  expect(await sendSecureButtons(page)).toHaveLength(1);
  // Pressed again beside Send (the re-rendered one), it opens the send dialog.
  await pressSendSecure(page);
  await frame.locator('#errand').waitFor();
  await frame.locator('#errand').fill('Efter omritning');
  await frame.getByLabel('Who may read: anna@example.se').fill('*');
  await frame.getByRole('button', { name: 'Send secure' }).click();
  await waitForSealed(page);
  await rerenderToolbar(page);
  expect(await sendSecureButtons(page)).toHaveLength(1);
  await send();
  const [sent] = (await pageLog(page)).sent;
  expect(sent?.text).toMatch(linkPattern(suite.server));
  expect(sent?.text).toContain('Efter omritning');
}

describe('"Send secure" after the webmail re-renders its compose toolbar', () => {
  it('stays exactly once in a Gmail compose window, across re-renders and an added recipient, and seals', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/#inbox');
    await page.getByRole('button', { name: 'Compose' }).click();
    await page.locator('[g_editable=true]').waitFor();
    await survivesRerenders(page, () => page.locator('.T-I-atl').click());
    await page.close();
  }, 120_000);

  it('stays exactly once in an Outlook compose, across re-renders and an added recipient, and seals', async () => {
    const page = await suite.openWebmail('https://outlook.office.com/mail/deeplink/compose');
    await survivesRerenders(page, () => page.locator('[data-testid=ComposeSendButton] button').click());
    await page.close();
  }, 120_000);

  it('gives each of two Gmail compose windows its own one button after a re-render', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/#inbox');
    await page.getByRole('button', { name: 'Compose' }).click();
    await page.getByRole('button', { name: 'Compose' }).click();
    await expect.poll(() => page.locator('.M9').count()).toBe(2);
    await expect.poll(() => sendSecureButtons(page), { timeout: 15_000 }).toHaveLength(2);
    await rerenderToolbar(page);
    expect(await sendSecureButtons(page)).toHaveLength(2);
    for (const compose of await page.locator('.M9').all()) {
      expect(await compose.locator('[data-sigill="send-secure"]').count()).toBe(1);
    }
    await page.close();
  }, 60_000);
});
