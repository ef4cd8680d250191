/**
 * Text from a CSV (column names, classes, file names, warnings quoting cells) written into a
 * Markdown document that VS Code's preview renders (report.md). Without escaping, a column
 * named `<img src=https://…>` or a class `![](https://…)` is live in the preview: an image
 * fetched from the network, a link, raw HTML. Pure.
 *
 * A bare URL in such text still shows as a link when the preview's linkify is on: its text is
 * its target, and opening it takes a click (and VS Code's confirmation for other sites).
 */

/** Markdown's characters that can start markup inline or in a table cell, backslash-escaped. */
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+!|~]/g;

/**
 * `text` as inline Markdown that renders as exactly that text (line breaks become spaces):
 * `&`, `<` and `>` become HTML entities (so no HTML, no autolink), and every character that
 * could start emphasis, a link, an image, code, a heading or a table cell is backslash-escaped.
 * Safe inside a table cell.
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`);
}

/**
 * `text` inside a code span (`` `…` ``): shown verbatim, so only what could end the span
 * early is changed: backticks become ' and line breaks (a blank line ends the paragraph,
 * and the span with it) become spaces.
 */
export function markdownCode(text: string): string {
  const inner = text.replace(/`/g, "'").replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  // Two backticks with nothing between are not a code span; a space between them is an empty one.
  return `\`${inner === '' ? ' ' : inner}\``;
}

/**
 * A file name as a link or image destination: percent-encoded, parentheses and spaces
 * included, so it cannot end the destination early and start markup of its own.
 */
export function markdownUrl(fileName: string): string {
  return encodeURIComponent(fileName).replace(/[()!*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
