/**
 * The one element builder of the pages people see: the recipient page, the toolbox and
 * the extension's own pages. Text always goes in as text nodes, never as HTML, so
 * nothing a sender, a recipient label, a server answer or a pasted entry holds can become
 * markup. Attributes are set as given (`true` as an empty one, `false` and undefined
 * left out); listeners come as `on: { click() {…} }`.
 *
 * @example
 * h('p', { class: 'hint', id: 'pn-hint' }, 'ÅÅÅÅMMDD-NNNN')
 * h('button', { type: 'button', on: { click: send } }, texts.send)
 */
export type Child = Node | string | null | undefined | false;
export type Listeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
export type Attributes = { [name: string]: string | number | boolean | undefined | Listeners; on?: Listeners };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'on') {
      for (const [type, listener] of Object.entries(value as Listeners)) element.addEventListener(type, listener as EventListener);
    } else if (value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child);
  }
}

/** Shows `children` in `parent` instead of what it held. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** Moves focus to a view's heading (made focusable), so screen readers announce the new view. */
export function focusHeading(heading: HTMLElement): void {
  heading.tabIndex = -1;
  heading.focus();
}

/** A button that runs `action` on click. */
export function button(label: string, action: () => void, attributes: Attributes = {}): HTMLButtonElement {
  return h('button', { type: 'button', class: 'button', ...attributes, on: { click: action } }, label);
}
