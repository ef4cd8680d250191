/**
 * Text for VS Code notifications (window.show*Message). They render no Markdown but one
 * syntax: `[label](https://…)`, `(command:…)` or `(file:…)` becomes a link the user can click,
 * so a column or file name holding `[Details](command:…)` would become a working link in a
 * Centroid message. Backslashes do not escape it there. Pure (no vscode import).
 */

/**
 * `text` with every `](` (the join of a link's label and target) turned into `］(`, with a
 * fullwidth closing bracket: nothing can be a link, and the text reads the same. Brackets
 * elsewhere ("weight [kg]") are left alone.
 */
export function notificationText(text: string): string {
  return text.replace(/\](?=\s*\()/g, '\uFF3D');
}
