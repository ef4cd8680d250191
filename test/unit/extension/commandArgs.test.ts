/**
 * The arguments VS Code's menus pass a command are never read as the command's own argument
 * (a sweep for Choose k, a centres file, a label column, export kinds).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ownArgument } from '../../../src/extension/commandArgs';

/** Stands in for vscode.Uri, which cannot be loaded outside VS Code. */
class FakeUri {
  constructor(readonly path: string) {}
}
const isUri = (x: unknown): boolean => x instanceof FakeUri;
const file = new FakeUri('/data/iris.csv');

describe('ownArgument', () => {
  it('ignores the selection the Explorer context menu passes', () => {
    assert.equal(ownArgument([file], isUri), undefined);
    assert.equal(ownArgument([file, new FakeUri('/data/wine.csv')], isUri), undefined);
  });

  it('ignores a Uri, the editor title\'s group context and nothing at all', () => {
    assert.equal(ownArgument(file, isUri), undefined);
    assert.equal(ownArgument({ groupId: 1 }, isUri), undefined);
    assert.equal(ownArgument({ groupId: 2, editorIndex: 0 }, isUri), undefined);
    assert.equal(ownArgument(undefined, isUri), undefined);
    assert.equal(ownArgument(null, isUri), undefined);
  });

  it('passes on the command\'s own argument, valid or not, for the command to check', () => {
    const sweep = { kMin: 2, kMax: 5, inits: ['k-means++'], metrics: ['euclidean'], seeds: 1 };
    assert.equal(ownArgument(sweep, isUri), sweep);
    assert.equal(ownArgument('species', isUri), 'species');
    const kinds = ['labels', 'centres'];
    assert.equal(ownArgument(kinds, isUri), kinds);
    // An object that only looks like a group context is the command's to refuse.
    const odd = { groupId: 1, kMin: 2 };
    assert.equal(ownArgument(odd, isUri), odd);
    assert.equal(ownArgument(42, isUri), 42);
    assert.deepEqual(ownArgument([], isUri), []);
    const mixed = [file, 'labels'];
    assert.equal(ownArgument(mixed, isUri), mixed);
  });
});
