/**
 * Issue 10, one language at a time: the extension speaks the browser's language (here
 * Swedish), the sender picks the language of what recipients get (here English), and
 * what BankID shows follows the recipient page's language (here Swedish).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRecipient, linkPattern, pageLog, pressSendSecure, secureFrame, sendSecureButtons, waitForSealed } from './flow.js';
import { chromiumSuite } from './session.js';

const suite = chromiumSuite('language', { test: true }, undefined, 'sv-SE');
beforeAll(() => suite.start(), 120_000);
afterAll(() => suite.stop());

describe('in a Swedish browser', () => {
  it('shows the button, the secure frame, the dialog and the popup in Swedish, and writes the recipients’ text in the language the sender picks', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    await addRecipient(page, 'to', 'anna@example.se', 'Anna Andersson');
    await expect.poll(() => sendSecureButtons(page, 'Skicka säkert'), { timeout: 15_000 }).toHaveLength(1);
    expect(await sendSecureButtons(page, 'Send secure')).toHaveLength(0);
    await pressSendSecure(page, 'Skicka säkert');
    const frame = await secureFrame(page);
    await frame.getByRole('textbox', { name: 'Säkert meddelande' }).fill(`Hemligt ${Date.now()}`);
    await frame.getByRole('button', { name: 'Fortsätt' }).click();
    await frame.locator('#errand').fill('Kallelse');
    await frame.getByLabel('Vem får läsa: anna@example.se').fill('19990807');
    await expect.poll(() => frame.getByText('en inledande del behöver sin * på slutet').count()).toBe(1); // shared/'s problem, in Swedish
    await frame.getByLabel('Vem får läsa: anna@example.se').fill('*');
    await expect.poll(() => frame.getByText('Alla som legitimerar sig med BankID kan läsa').count()).toBe(1);
    expect(await frame.locator('#language').inputValue()).toBe('sv'); // the browser's language first
    await frame.locator('#language').selectOption('en');
    await frame.getByRole('button', { name: 'Skicka säkert' }).click();
    await waitForSealed(page);

    const body = await page.locator('[g_editable=true]').innerText();
    expect(body).toMatch(linkPattern(suite.server));
    expect(body).toContain('The message is protected: open the link and identify yourself with BankID to read it.');
    expect(body).not.toContain('Meddelandet är skyddat');
    await page.locator('.T-I-atl').click();
    expect((await pageLog(page)).sent[0]?.text).toContain('The message is protected');

    // The recipient page, in this Swedish browser, has BankID show its text in Swedish.
    const link = linkPattern(suite.server).exec(body)![0];
    const recipient = await suite.browser.context.newPage();
    await recipient.goto(link);
    await recipient.getByRole('button', { name: 'Öppna BankID på den här enheten' }).click();
    const orders = async () => (await (await fetch(`${suite.server.testAppUrl.replace(/\/+$/, '')}/control/orders`)).json()) as { userVisibleText?: string }[];
    await expect.poll(async () => (await orders()).map((order) => order.userVisibleText)).toContain('Öppna det säkra meddelandet från Bostadsbolaget i Sigill.');
    await recipient.close();

    const popup = await suite.browser.context.newPage();
    await popup.goto(`chrome-extension://${suite.browser.extensionId}/popup/popup.html`);
    await popup.locator('article', { hasText: 'Kallelse' }).getByText('skickat i ditt mejl').waitFor();
    expect(await popup.locator('h1').textContent()).toBe('Skickade säkra meddelanden');
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('sv');
    await popup.close();
    await page.close();
  }, 120_000);

  it('remembers the language the sender picked for recipients', async () => {
    const page = await suite.openWebmail('https://mail.google.com/mail/u/0/?view=cm');
    await addRecipient(page, 'to', 'bo@example.se', 'Bo');
    await pressSendSecure(page, 'Skicka säkert');
    const frame = await secureFrame(page);
    await frame.getByRole('button', { name: 'Fortsätt' }).click();
    await frame.locator('#errand').waitFor();
    expect(await frame.locator('#language').inputValue()).toBe('en'); // picked in the test above
    await page.close();
  }, 60_000);
});
