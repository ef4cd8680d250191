/**
 * Hostile CSV content in the real browser (issue 9): headers and cells holding HTML, script,
 * `javascript:` links and template braces are clustered with the hostile column as labels.
 * Every payload would leave a trace if it ran (a global in the panel's frame, its
 * document.title, or a console line); the test proves none did, that the text is shown
 * literally, and that the panel's Content Security Policy has no 'unsafe-inline' and no
 * remote source.
 */
import * as assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { parseCsv } from '../../src/csv/read';
import { runFit } from '../../src/pipeline/fit';
import { defaultOptions } from './docs';
import { sessionHooks } from './harness';
import { packagedVsix } from './vsix';
import * as wb from './workbench';
import { makeWorkspace } from './workspace';

const EXTENSION_ID = 'centroid.centroid';
const FILE = 'hostile.csv';

/** Each payload marks window.__pwned and the title with its own tag if it ever runs. */
const run = (tag: string): string => `window.__pwned='${tag}';document.title='pwned-${tag}'`;
const HEADER_IMG = `<img src=x onerror="${run('header-img')}">`;
const HEADER_SCRIPT = `</script><script>${run('header-script')}</script>`;
const HEADER_TEMPLATE = `{{constructor.constructor("${run('header-template')}")()}}`;
const LABEL_HEADER = `<a href="javascript:${run('label-link')}">kind</a>`;
const CELLS = [
  `<img src=x onerror="${run('cell-img')}">`,
  `javascript:${run('cell-js')}`,
  '{{7*7}}',
  `</script><script>${run('cell-script')}</script>`,
];

function quote(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** 40 rows in four well separated groups; the label column holds one payload per group. */
function hostileCsv(): string {
  const lines = [[HEADER_IMG, HEADER_SCRIPT, HEADER_TEMPLATE, LABEL_HEADER].map(quote).join(',')];
  for (let i = 0; i < 40; i++) {
    const g = i % 4;
    lines.push([10 * g + (i % 3) * 0.1, -5 * g + (i % 5) * 0.1, 3 * g + (i % 7) * 0.05, CELLS[g]].map((v) => quote(String(v))).join(','));
  }
  return lines.join('\n') + '\n';
}

async function traces(frame: FrameLocator): Promise<{ pwned: unknown; title: string; img: number; a: number; scripts: string[]; iframes: number }> {
  return frame.locator('body').evaluate(() => {
    const g = globalThis as unknown as { __pwned?: unknown; document: { title: string; querySelectorAll(s: string): ArrayLike<{ src: string; textContent: string | null }> } };
    return {
      pwned: g.__pwned,
      title: g.document.title,
      img: g.document.querySelectorAll('img').length,
      a: g.document.querySelectorAll('a').length,
      scripts: Array.from(g.document.querySelectorAll('script')).map((x) => x.src || (x.textContent ?? '').slice(0, 200)),
      iframes: g.document.querySelectorAll('iframe').length,
    };
  });
}

describe('Hostile CSV content in the panel runs nothing (real browser)', function () {
  this.timeout(120_000);
  const text = hostileCsv();

  const current = sessionHooks('e2e-xss', () => ({ vsix: [packagedVsix()], workspace: makeWorkspace({ [FILE]: text }), file: FILE }));

  function page(): Page {
    return current().page;
  }

  it('clusters with the hostile column as labels, shows every payload as text and runs none of them', async () => {
    const p = page();
    await wb.runContextMenuItem(p, wb.explorerRow(p, FILE), 'Cluster this CSV');
    const frame = wb.webviewFrame(p, EXTENSION_ID);
    await frame.locator('body[data-state="done"][data-drawn="yes"]').waitFor({ timeout: 60_000 });
    const first = Number(await frame.locator('body').getAttribute('data-run'));

    // Label column: the hostile one, chosen in the form, and k=4.
    await frame.locator('#f-label').selectOption({ value: LABEL_HEADER });
    await frame.locator('#f-k').fill('4');
    await frame.getByRole('button', { name: 'Run', exact: true }).click();
    await frame.locator(`body[data-run="${first + 1}"][data-state="done"][data-drawn="yes"]`).waitFor({ timeout: 60_000 });

    const expected = runFit(parseCsv(text, { header: 'auto' }), { ...defaultOptions(LABEL_HEADER), k: 4 });
    const inertia = await frame.locator('#metrics tr[data-metric="inertia"] td[data-value]').getAttribute('data-value');
    assert.equal(Number(inertia), expected.inertia);
    assert.equal(expected.metrics.adjustedRand, 1, 'the groups are the labels (the fixture is separable)');
    await frame.locator('#metrics tr[data-metric="adjustedRand"]').waitFor();

    // Nothing ran: no global, the title is the panel's, no element was made from the text.
    const t = await traces(frame);
    assert.equal(t.pwned, undefined, `a payload ran: ${String(t.pwned)}`);
    assert.equal(t.title, `Clusters: ${FILE}`);
    assert.deepEqual({ img: t.img, a: t.a, iframes: t.iframes }, { img: 0, a: 0, iframes: 0 });
    // Scripts: the panel's bundle and what VS Code itself puts in every webview; none from the file.
    assert.equal(t.scripts.filter((x) => /\/dist\/webview\.js$/.test(x)).length, 1, t.scripts.join(' | '));
    assert.deepEqual(t.scripts.filter((x) => /pwned|onerror|javascript:/.test(x)), []);
    assert.ok(!(await p.title()).includes('pwned'), `the workbench title changed: ${await p.title()}`);

    // The text is shown literally: headers in the centre table and the form, cells in the
    // mapping and the contingency table.
    const centres = (await frame.locator('#centers').textContent()) ?? '';
    for (const h of [HEADER_IMG, HEADER_SCRIPT, HEADER_TEMPLATE]) assert.ok(centres.includes(h), `header not shown literally: ${h}`);
    const labelOptions = await frame.locator('#f-label option').allTextContents();
    assert.ok(labelOptions.some((o) => o.startsWith(LABEL_HEADER)), `label column not listed literally: ${labelOptions.join(' | ')}`);
    assert.equal(await frame.locator('#f-label').inputValue(), LABEL_HEADER);
    const labels = `${await frame.locator('#contingency').textContent()}${await frame.locator('#legend').textContent()}`;
    for (const c of CELLS) assert.ok(labels.includes(c), `cell not shown literally: ${c}`);
    assert.ok(!labels.includes('49'), '{{7*7}} was evaluated');

    // Nor in the workbench: the annotations' hover and text are Markdown/CSS, and nothing logged a payload.
    await wb.waitForAfterText(p, 'cluster ');
    assert.deepEqual(current().console.filter((l) => /pwned/.test(l)), [], 'console lines mentioning a payload');
    const after = await traces(frame);
    assert.equal(after.pwned, undefined);
  });

  it('the panel\'s Content Security Policy has no unsafe-inline, no eval and no remote source', async () => {
    const frame = wb.webviewFrame(page(), EXTENSION_ID);
    const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.ok(csp, 'no CSP meta element');
    const styleHref = await frame.locator('link[rel="stylesheet"]').getAttribute('href');
    assert.ok(styleHref, 'no stylesheet link');
    const ownOrigin = new URL(styleHref).origin;
    const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...sources] = d.split(/\s+/);
      return [name, sources] as const;
    }));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.ok((directives.get('script-src') ?? []).every((s) => /^'nonce-[A-Za-z0-9+/=_-]{16,}'$/.test(s)), `script-src: ${csp}`);
    for (const [name, sources] of directives) {
      for (const s of sources) {
        assert.ok(!/unsafe-|^\*$|^https?:$/.test(s), `${name} allows ${s}`);
        const local = s === "'none'" || s === "'self'" || s === 'data:' || /^'nonce-/.test(s);
        // A host source must be webview.cspSource: the origin VS Code serves the extension's own
        // files from (its service worker answers it locally), which the stylesheet comes from.
        if (!local) {
          const pattern = new RegExp(`^${s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '[^/]+')}$`);
          assert.ok(pattern.test(ownOrigin), `${name} allows ${s}, which is not the webview's own origin ${ownOrigin}`);
        }
      }
    }
    console.log(`      CSP: ${csp}`);
  });
});
