/**
 * Steps the Chromium browser tests share: sign in through the options page, write in
 * the secure frame, fill the send dialog, read the fixture's page log, and check the
 * server's stored files for the secret.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { RunningServer } from './server.js';

export interface PageLog {
  drafts: { body: string; subject?: string }[];
  sent: { to: string[]; subject: string; text: string }[];
  seen: string[];
  inputTypes: string[];
}

/** The host the content script puts the secure frame in (its shadow root is closed). */
export const frameHostSelector = '[data-sigill="secure-frame"]';
const composePage = /^chrome-extension:\/\/[^/]+\/compose\/compose\.html/;

export function linkPattern(server: RunningServer): RegExp {
  return new RegExp(`${server.url.replace(/[.:/]/g, '\\$&')}/o/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}`);
}

/** Signs in through Options (by element ids: any language); `serverUrl` is the address typed (the server's own by default). */
export async function signIn(context: BrowserContext, extensionId: string, server: Pick<RunningServer, 'url' | 'token' | 'senderName'>, serverUrl = server.url): Promise<void> {
  const options = `chrome-extension://${extensionId}/options/options.html`;
  // The extension opens its options on install: use that tab (a tab of our own at the
  // same address would be reloaded by it, midway).
  const opened = () => context.pages().find((candidate) => candidate.url().startsWith(options));
  for (const deadline = Date.now() + 10_000; !opened() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  let page = opened();
  if (!page) {
    page = await context.newPage();
    await page.goto(options);
  }
  await page.waitForLoadState('load');
  await page.locator('#server-url').fill(serverUrl);
  await page.locator('#token').fill(server.token);
  await page.locator('#sign-in').click();
  await page.locator('#account').getByText(server.senderName).waitFor();
  await page.close();
}

/** The secure frame of the page, by its URL: a closed shadow root hides its element. */
export function composeFrameOf(page: Page): Frame | undefined {
  return page.frames().find((frame) => composePage.test(frame.url()));
}

export async function secureFrame(page: Page, timeout = 15_000): Promise<Frame> {
  for (const deadline = Date.now() + timeout; Date.now() < deadline; await page.waitForTimeout(100)) {
    const frame = composeFrameOf(page);
    if (frame) return frame;
  }
  throw new Error('the secure frame did not open');
}

export async function writeSecret(page: Page, secret: string, files: { name: string; mimeType: string; buffer: Buffer }[] = []): Promise<Frame> {
  const frame = await secureFrame(page);
  await frame.getByRole('textbox', { name: 'Secure message' }).fill(secret);
  if (files.length) await frame.locator('#attachments').setInputFiles(files);
  return frame;
}

/** Continue to the dialog, check the errand, set who may read, and send. */
export async function sendFromDialog(frame: Frame, options: { errand: string; readers: Record<string, string> }): Promise<void> {
  await frame.getByRole('button', { name: 'Continue' }).click();
  const errand = frame.locator('#errand');
  await errand.waitFor();
  if ((await errand.inputValue()) !== options.errand) await errand.fill(options.errand);
  for (const [address, readers] of Object.entries(options.readers)) {
    await frame.getByLabel(`Who may read: ${address}`).fill(readers);
  }
  await frame.getByRole('button', { name: 'Send secure' }).click();
}

interface AxNode {
  backendDOMNodeId?: number;
  ignored: boolean;
}

/**
 * The page's visible "Send secure" buttons, from Chromium's accessibility tree: what a
 * person sees, reaching into closed shadow roots (Playwright's locators stop at them).
 * Only the webmail's own document: the secure frame's buttons are in another process.
 */
export async function sendSecureButtons(page: Page, name = 'Send secure'): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodes } = (await cdp.send('Accessibility.queryAXTree', { nodeId: root.nodeId, accessibleName: name, role: 'button' })) as { nodes: AxNode[] };
    return nodes.filter((node) => !node.ignored && node.backendDOMNodeId !== undefined).map((node) => node.backendDOMNodeId!);
  } finally {
    await cdp.detach();
  }
}

/** Presses the one "Send secure" beside Send with the mouse, as the sender does. */
export async function pressSendSecure(page: Page, name = 'Send secure'): Promise<void> {
  let buttons: number[] = [];
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(100)) {
    buttons = await sendSecureButtons(page, name);
    if (buttons.length > 0) break;
  }
  if (buttons.length !== 1) throw new Error(`expected one Send secure button, found ${buttons.length}`);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: buttons[0]! });
    const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: buttons[0]! });
    const [x1, y1, , , x3, y3] = model.border;
    await page.mouse.click((x1! + x3!) / 2, (y1! + y3!) / 2);
  } finally {
    await cdp.detach();
  }
}

interface DomNode {
  nodeType: number;
  nodeValue: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

/** The status line beside "Send secure", read through CDP (it sits in a closed shadow root). */
export async function sendSecureStatus(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const text = (node: DomNode): string => (node.nodeType === 3 ? node.nodeValue : [...(node.shadowRoots ?? []), ...(node.children ?? [])].map(text).join(''));
    const hosts: DomNode[] = [];
    const find = (node: DomNode) => {
      const attributes = node.attributes ?? [];
      if (attributes.some((value, i) => i % 2 === 0 && value === 'data-sigill' && attributes[i + 1] === 'send-secure')) hosts.push(node);
      for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) find(child);
    };
    find(root);
    // The shadow root holds a <style>, the button and the status: the status is the last.
    return hosts.map((host) => host.shadowRoots?.flatMap((shadow) => shadow.children ?? []).at(-1)).map((status) => (status ? text(status) : '')).join(' | ');
  } finally {
    await cdp.detach();
  }
}

export async function pageLog(page: Page): Promise<PageLog> {
  return page.evaluate(() => {
    const mail = (window as unknown as { __mail: PageLog }).__mail;
    return { drafts: mail.drafts, sent: mail.sent, seen: mail.seen, inputTypes: mail.inputTypes };
  });
}

export async function addRecipient(page: Page, field: 'to' | 'cc', address: string, name: string): Promise<void> {
  await page.evaluate(([f, a, n]) => (window as unknown as { __fixture: { addRecipient(...args: string[]): void } }).__fixture.addRecipient(f!, a!, n!), [field, address, name]);
}

/** Every file under the server's data folder whose bytes contain `secret`. */
export function filesHolding(dataDir: string, secret: string): string[] {
  const needle = Buffer.from(secret, 'utf8');
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path).includes(needle)) found.push(path);
    }
  };
  walk(dataDir);
  return found;
}

/** Waits until the frame closes (sealed and written), or fails with what the dialog said. */
export async function waitForSealed(page: Page, timeout = 60_000): Promise<void> {
  const frame = await secureFrame(page);
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await page.locator(frameHostSelector).count()) === 0) return;
    const problems = await frame.locator('[role=alert].problem').allInnerTexts().catch(() => []);
    const said = problems.map((text) => text.trim()).filter(Boolean);
    if (said.length) throw new Error(`the send dialog said: ${said.join(' | ')}`);
    await page.waitForTimeout(250);
  }
  throw new Error('the secure frame did not close');
}
