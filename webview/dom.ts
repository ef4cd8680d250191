/**
 * Small DOM helpers. Text (CSV headers, labels, messages) only ever goes in through
 * textContent or attribute values, never through innerHTML, so file contents cannot
 * become markup.
 */

/** The element with `id`, typed; throws when the page skeleton lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the panel has no element #${id}`);
  return found as T;
}

/** A new element with optional text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K, text?: string | null, attrs?: Record<string, string>,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (attrs) for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

/** Removes every child of `node`. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Reads a CSS custom property of the body (theme colours), with a fallback. */
export function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}
