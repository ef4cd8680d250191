/**
 * Injection into rendered text (issue 18): text from a CSV reaches two sinks that render it.
 * - report.md, shown by VS Code's Markdown preview (markdown-it, HTML allowed): a column named
 *   `<img src=https://…>` or a class `![](https://…)` must be inert text (markdownText).
 * - notifications (window.show*Message), which turn `[label](https:…|command:…|file:…)` into a
 *   link: every message goes through notificationText (notify.ts), and no other file shows one.
 * fast-check generates strings rich in the characters of both syntaxes; rendering with
 * markdown-it (the preview's renderer) checks the text comes out as it went in.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { markdownCode, markdownText, markdownUrl } from '../../../src/protocol/markdownText';
import { notificationText } from '../../../src/extension/notificationText';
import { parseCsv } from '../../../src/csv/read';
import { fitTable } from '../../../src/pipeline/fit';
import { reportMarkdown } from '../../../src/pipeline/exports';
import { studyLabels } from '../../../src/pipeline/labelMap';
import { labelColumn } from '../../../src/csv/dataset';
import { fuzzRuns, fuzzSeed } from './helpers';

interface MarkdownIt { render(src: string): string; renderInline(src: string): string }
const markdownIt = createRequire(__filename)('markdown-it') as (options: object) => MarkdownIt;
/**
 * As VS Code's preview, HTML allowed, but without linkify: a bare URL in the text is shown as
 * a link to itself there (see markdownText); here the text must come out as it went in.
 */
const preview = markdownIt({ html: true, linkify: false });

/** Pieces of Markdown, HTML and notification-link syntax, and plain text around them. */
const PIECES = ['[', ']', '(', ')', '!', '<', '>', '&', '`', '*', '_', '\\', '|', '#', '~', '{', '}', '+', '-', '.', '"', "'", ':', '/',
  '\n', '\r\n', ' ', '  ', 'a', 'img', 'src=', 'https://evil.example/x.png', 'command:workbench.action.terminal.new', 'file:///etc/passwd',
  '![](', '](', '<img src=', '<script>', '&lt;', '&#60;', '&amp;', '&copy;', '<https://evil.example>', '***', '__', '```', 'é', '\u2028', '１'];
const hostileText = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.string() }), { maxLength: 24 })
  .map((parts) => parts.join('').replace(/\0/g, ''));

function decodeHtml(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** What the preview shows for `text` once escaped: line breaks are spaces, and a cell or paragraph is trimmed. */
const shown = (text: string): string => text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');

describe('Markdown sink (report.md)', () => {
  it('markdownText: no markup, no HTML, no link survives; the preview shows the text as it was (fast-check)', () => {
    fc.assert(fc.property(hostileText, (text) => {
      const out = markdownText(text);
      assert.ok(!out.includes(']('), out);
      assert.ok(!/[<>\r\n\u2028\u2029]/.test(out), out);
      // Inline, as in a sentence, and in a table cell: no tag at all in the rendering, and the same text.
      const inline = preview.renderInline(`x ${out} x`);
      assert.ok(!inline.includes('<'), `${JSON.stringify(text)} -> ${inline}`);
      assert.equal(decodeHtml(inline), `x ${shown(text)} x`);
      const table = preview.render(`| h |\n| --- |\n| ${out} |\n`);
      const td = /<td>([\s\S]*?)<\/td>/.exec(table);
      assert.ok(td, table);
      assert.ok(!td[1].includes('<'), `${JSON.stringify(text)} -> ${td[1]}`);
      assert.equal(decodeHtml(td[1]), shown(text).trim());
    }), { seed: fuzzSeed(41), numRuns: fuzzRuns(300) });
  });

  it('markdownCode and markdownUrl cannot end their span or destination early (fast-check)', () => {
    fc.assert(fc.property(hostileText, (text) => {
      const code = preview.renderInline(`x ${markdownCode(text)} x`);
      assert.match(code, /^x <code>[^<]*<\/code> x$/, `${JSON.stringify(text)} -> ${code}`);
      const image = preview.renderInline(`![chart](${markdownUrl(text)})`);
      assert.equal((image.match(/<img /g) ?? []).length, 1, image);
      assert.match(image, /^<img src="[^"]*" alt="chart">$/, image);
      assert.ok(!/src="[a-z]+:/i.test(image), `a local file, never a URL: ${image}`);
    }), { seed: fuzzSeed(42), numRuns: fuzzRuns(300) });
  });

  it('a report of a file with hostile column names, classes and file names has no live image, link or HTML', () => {
    const names = ['<img src=https://evil.example/a.png>', '![](https://evil.example/b.png)', '[x](https://evil.example)'];
    const classes = ['<img src=https://evil.example/c.png>', '![](https://evil.example/d.png)', '[y](command:evil)'];
    const rows = Array.from({ length: 12 }, (_, i) => `${i % 3},${(i * 7) % 5},${i % 4},"${classes[i % 3]}"`);
    const table = parseCsv(`"${names[0]}",${names[1]},${names[2]},"cls<b>"\n${rows.join('\n')}\n`, { header: 'auto' });
    const outcome = fitTable(table, { k: 3, seed: 0, label: 'cls<b>', columns: names });
    const study = studyLabels(labelColumn(table, 'cls<b>').values, outcome.report.labels, 3, 'cls<b>');
    const md = reportMarkdown(outcome.report, { source: '<img src=https://evil.example/e.png>.csv', chartPng: 'x) ![p](https://evil.example/f.png.png' },
      { study, mapping: study.manyToOne, basis: 'manyToOne' }, ['warning about "![](https://evil.example/g.png)"']);
    const html = preview.render(md);
    const images = [...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(images.length, 1, `only the chart: ${images.join(', ')}`);
    assert.ok(!images[0].includes(':'), `the chart is a local file: ${images[0]}`);
    assert.ok(!/<a /.test(html), 'no link');
    assert.ok(!/<b>/.test(html), 'no HTML from the file');
    for (const name of [...names, ...classes]) assert.ok(decodeHtml(html).includes(name), `${name} shown as text`);
  });
});

/** VS Code's notification link syntax (src/vs/base/common/linkedText.ts). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('notification sink (window.show*Message)', () => {
  it('notificationText: no link survives, and the text reads the same (fast-check)', () => {
    fc.assert(fc.property(hostileText, (text) => {
      const out = notificationText(text);
      assert.ok(!NOTIFICATION_LINK.test(out), out);
      NOTIFICATION_LINK.lastIndex = 0;
      assert.equal(out.replace(/\uFF3D/g, ']'), text.replace(/\uFF3D/g, ']'));
    }), { seed: fuzzSeed(43), numRuns: fuzzRuns(300) });
    assert.equal(notificationText('weight [kg] and [a](command:x)'), 'weight [kg] and [a\uFF3D(command:x)');
  });

  it('no file but notify.ts shows a notification, so every message is escaped', () => {
    const root = join(__dirname, '../../../src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(join('extension', 'notify.ts')) && /\.show(Information|Warning|Error)Message\b/.test(readFileSync(p, 'utf8'))) offenders.push(p);
      }
    };
    walk(root);
    assert.deepEqual(offenders, []);
  });
});
