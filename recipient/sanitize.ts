import DOMPurify from 'dompurify';

/**
 * The content document's `html` (PROTOCOL.md §5) made safe to show: DOMPurify with no
 * scripts, forms, styles, frames or embedded objects; every link opens a new tab without
 * opener or referrer; images other than `data:` ones are dropped. The result goes only into a sandboxed frame without scripts
 * (`frameDocument`), whose CSP is the page's: nothing is fetched from other origins.
 *
 * @example
 * frame.srcdoc = frameDocument(sanitizeHtml(document.html), stylesheetUrl);
 */
const purify = DOMPurify(window);

purify.addHook('afterSanitizeAttributes', (node) => {
  // Remote images would tell a third party that, when and where the message was read.
  if (node instanceof Element && node.tagName === 'IMG' && !/^data:image\//i.test(node.getAttribute('src') ?? '')) {
    node.removeAttribute('src');
  }
  if (node instanceof Element && node.tagName === 'A') {
    const href = node.getAttribute('href');
    if (href !== null && !/^(https?:|mailto:|tel:)/i.test(href.trim())) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'video', 'audio', 'source', 'picture', 'svg', 'math'],
    // Inline styles would be refused by the CSP (style-src 'self') anyway.
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction', 'ping'],
    ALLOW_DATA_ATTR: false,
  });
}

/** The frame's whole document: the sanitized body with the page's own stylesheet. */
export function frameDocument(safeHtml: string, stylesheetUrl: string, language: string): string {
  return `<!doctype html><html lang="${language === 'en' ? 'en' : 'sv'}"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><base target="_blank"><link rel="stylesheet" href="${stylesheetUrl}"></head><body>${safeHtml}</body></html>`;
}
