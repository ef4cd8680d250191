/**
 * What VS Code passes a command, told apart from a command's own argument. A command run from
 * a menu gets the clicked file and more: the Explorer's context menu passes (uri, selectedUris:
 * Uri[]), the editor title (uri, { groupId }), the editor's context menu (uri), the command
 * palette nothing. Commands that also take an argument of their own in second place (other
 * extensions, keybindings and tests give one) must not read those as it. Pure (the Uri test is
 * given), so it is tested without VS Code.
 */

/**
 * The command's own second argument, or undefined when `second` is absent or is what a menu
 * passes: a Uri, a non-empty array of Uris, or an editor group context `{ groupId, editorIndex? }`.
 */
export function ownArgument(second: unknown, isUri: (x: unknown) => boolean): unknown {
  if (second === undefined || second === null) return undefined;
  if (isUri(second)) return undefined;
  if (Array.isArray(second) && second.length > 0 && second.every(isUri)) return undefined;
  if (isEditorGroupContext(second)) return undefined;
  return second;
}

function isEditorGroupContext(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const keys = Object.keys(x);
  return typeof (x as { groupId?: unknown }).groupId === 'number' && keys.every((k) => k === 'groupId' || k === 'editorIndex');
}
