/**
 * The toolbox's element builder. Text always goes in as text nodes, never as HTML: what a
 * recipient label, a server answer or a pasted entry holds can never become markup.
 * Listeners are given as `on: { click() {…} }`.
 *
 * @example
 * el('button', { type: 'button', on: { click: send } }, texts.send)
 */
export type Child = Node | string | null | undefined | false;
type Listeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
export type Props = { [name: string]: string | number | boolean | undefined | Listeners; on?: Listeners };

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'on') {
      for (const [type, listener] of Object.entries(value as Listeners)) element.addEventListener(type, listener as EventListener);
    } else if (value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** Shows `children` in `parent` instead of what it held. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
}

/** Moves focus to a view's heading, so screen readers announce the new view. */
export function focusHeading(heading: HTMLElement): void {
  heading.tabIndex = -1;
  heading.focus();
}
