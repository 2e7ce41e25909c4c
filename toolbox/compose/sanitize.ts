/**
 * The message's formatting made into the content document's `html` (PROTOCOL.md §5):
 * only paragraphs, line breaks, bold, italic, lists and links (http, https, mailto)
 * survive; every other tag is unwrapped to its text and every other attribute dropped.
 * The recipient page sanitizes again before it shows anything.
 *
 * @example
 * formattedHtml('<p onclick="x()">Hej <b>Anna</b><script>1</script></p>') // '<p>Hej <b>Anna</b></p>'
 */
import DOMPurify from 'dompurify';

const purify = DOMPurify(window);

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof Element && node.tagName === 'A') {
    const href = node.getAttribute('href')?.trim() ?? '';
    if (!isLinkAddress(href)) node.removeAttribute('href');
  }
});

/** Whether `address` may be a link in a message. */
export function isLinkAddress(address: string): boolean {
  return /^(https?:\/\/[^\s]+|mailto:[^\s]+)$/i.test(address.trim());
}

export function formattedHtml(html: string): string {
  return purify.sanitize(html, {
    ALLOWED_TAGS: ['p', 'div', 'br', 'b', 'strong', 'i', 'em', 'ul', 'ol', 'li', 'a'],
    ALLOWED_ATTR: ['href'],
    ALLOW_DATA_ATTR: false,
    KEEP_CONTENT: true,
  });
}
