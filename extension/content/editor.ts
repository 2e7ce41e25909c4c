/**
 * Reading and writing the sender's own part of a webmail body: everything before the
 * signature or the quoted reply, which stay as they are. Text goes in the way a person
 * typing would be heard: focus, select the own part, `execCommand('insertText')`, which
 * fires the input events Gmail's draft autosave and Outlook's RoosterJS model listen to.
 * Where the browser refuses execCommand, the fallback is explicit: a cancelable
 * `beforeinput`, the DOM change, then `input`, as an editor's own typing would fire them.
 *
 * @example
 * writeOwnText(body, gmail.boundarySelector, 'Errand\n\nOpen the link…\nhttps://…');
 */

/**
 * The range of the own part: the body's children before the block that holds the
 * boundary, taken from inside the first to inside the last, so that deleting or
 * replacing it never merges the signature or the quote into the own text.
 */
export function ownRange(body: HTMLElement, boundarySelector: string): Range {
  const range = document.createRange();
  let boundary: Element | null = body.querySelector(boundarySelector);
  while (boundary && boundary.parentElement !== body) boundary = boundary.parentElement;
  const own = [...body.childNodes].slice(0, boundary ? [...body.childNodes].indexOf(boundary) : undefined);
  const first = own[0];
  const last = own.at(-1);
  if (!first || !last) {
    range.setStart(body, 0);
    range.collapse(true);
    return range;
  }
  const opens = (node: Node) => node.nodeType === Node.ELEMENT_NODE && node.nodeName !== 'BR' && node.nodeName !== 'IMG' && node.nodeName !== 'HR';
  if (opens(first)) range.setStart(first, 0);
  else range.setStartBefore(first);
  if (opens(last)) range.setEnd(last, last.childNodes.length);
  else if (last.nodeType === Node.TEXT_NODE) range.setEnd(last, (last as Text).length);
  else range.setEndAfter(last);
  return range;
}

const blockNames = new Set(['DIV', 'P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'PRE', 'TABLE', 'TR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6']);

/** Text of a node with line breaks where blocks and <br> put them (no layout needed). */
function textOf(node: Node): string {
  let text = '';
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) text += child.textContent ?? '';
    else if (child.nodeName === 'BR') text += '\n';
    else if (child.nodeType === Node.ELEMENT_NODE) {
      const inner = textOf(child);
      text += blockNames.has(child.nodeName) && text !== '' && !text.endsWith('\n') ? `\n${inner}` : inner;
      if (blockNames.has(child.nodeName) && !text.endsWith('\n')) text += '\n';
    }
  }
  return text;
}

export function ownText(body: HTMLElement, boundarySelector: string): string {
  return textOf(ownRange(body, boundarySelector).cloneContents()).replace(/\u00a0/g, ' ').trim();
}

function selectOwnPart(body: HTMLElement, boundarySelector: string): Range {
  body.focus();
  const range = ownRange(body, boundarySelector);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return range;
}

function landed(body: HTMLElement, boundarySelector: string, text: string): boolean {
  const normalize = (value: string) => value.replace(/\s+/g, ' ').trim();
  return normalize(ownText(body, boundarySelector)) === normalize(text);
}

/** Replaces the own part with `text` (empty text clears it); signature and quote stay. */
export function writeOwnText(body: HTMLElement, boundarySelector: string, text: string): void {
  selectOwnPart(body, boundarySelector);
  const command = text === '' ? document.execCommand('delete') : document.execCommand('insertText', false, text);
  if (command && landed(body, boundarySelector, text)) return;
  insertAsTyping(body, selectOwnPart(body, boundarySelector), text);
}

function insertAsTyping(body: HTMLElement, range: Range, text: string): void {
  const inputType = text === '' ? 'deleteContent' : 'insertText';
  const before = new InputEvent('beforeinput', { bubbles: true, cancelable: true, composed: true, inputType, data: text || null });
  if (!body.dispatchEvent(before)) return; // The editor handled it itself.
  range.deleteContents();
  const fragment = document.createDocumentFragment();
  for (const line of text === '' ? [] : text.split('\n')) {
    const block = document.createElement('div');
    if (line === '') block.append(document.createElement('br'));
    else block.textContent = line;
    fragment.append(block);
  }
  range.insertNode(fragment);
  body.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, inputType, data: text || null }));
}
