/** The panel page: strict CSP (nonce script, no inline code, no remote hosts) and stable element ids. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPanelHtml, contentSecurityPolicy, escapeHtml } from '../../../src/extension/html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'q83vEjRWeJq83vEjRWeJq83v',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
};

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta tag');
  return m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

describe('panel html', () => {
  const html = buildPanelHtml(options);
  const csp = cspOf(html);
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

  it("denies everything by default and allows the script only by nonce", () => {
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${options.nonce}'`]);
    assert.deepEqual(directives.get('style-src'), [options.cspSource]);
    assert.deepEqual(directives.get('img-src'), ['data:']);
  });

  it("has no 'unsafe-inline', 'unsafe-eval' or remote host", () => {
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    assert.ok(!/\*/.test(csp));
    for (const values of directives.values()) {
      for (const v of values) assert.ok(v.startsWith("'") || v === 'data:' || v === options.cspSource, `unexpected source ${v}`);
    }
  });

  it('loads exactly one script, carrying the nonce, and no inline script or style', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${options.nonce}"`));
    assert.match(scripts[0][1], /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/dist\/webview\.js"/);
    assert.equal(scripts[0][2].trim(), '', 'no inline code');
    assert.ok(!/<style\b/.test(html), 'no <style> element');
    assert.ok(!/\sstyle="/.test(html), 'no style attributes');
    assert.ok(!/\son[a-z]+="/.test(html), 'no inline event handlers');
  });

  it('has the element ids the tests and the script rely on', () => {
    for (const id of ['scatter', 'metrics', 'legend', 'sample-note', 'centers', 'contingency', 'settings-form', 'run', 'cancel',
      'progress', 'save-png', 'run-label', 'status', 'f-k', 'f-scale', 'f-seed', 'f-init', 'f-algorithm', 'f-metric']) {
      assert.match(html, new RegExp(`id="${id}"`), `#${id}`);
    }
    assert.match(html, /<canvas id="scatter"/);
    assert.match(html, /<body data-state="idle" data-run="0" data-drawn="no">/);
  });

  it('refuses a nonce that could break out of its attribute, and escapes URIs', () => {
    assert.throws(() => buildPanelHtml({ ...options, nonce: 'abc"><script>' }), /nonce should be/);
    assert.throws(() => buildPanelHtml({ ...options, nonce: 'short' }), /nonce should be/);
    const odd = buildPanelHtml({ ...options, styleUri: 'x"><img src=y>' });
    assert.ok(!odd.includes('"><img'));
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('builds the same policy the page carries', () => {
    assert.equal(contentSecurityPolicy(options.cspSource, options.nonce), csp);
  });
});
