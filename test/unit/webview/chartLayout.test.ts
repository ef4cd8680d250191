/**
 * The scatter chart's pure parts (webview/chartLayout.ts): centre labels that never overlap
 * each other or a marker, even for 10 centres close together; a halo in the background colour
 * under every centre, wider than its marker; and the caption a saved PNG carries (file, method,
 * k above; a swatch and count per cluster below).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../src/csv/read';
import { fitTable } from '../../../src/pipeline/fit';
import { DEFAULT_SETTINGS } from '../../../src/protocol/messages';
import { clusterColor } from '../../../src/protocol/palette';
import { buildPanelView } from '../../../src/worker/view';
import {
  CENTRE_BORDER, CENTRE_RADIUS, drawCentreHalos, HALO_RADIUS, pngCaption, placeLabels, type LabelBox, type PathContext,
} from '../../../webview/chartLayout';

const AREA = { left: 40, right: 560, top: 8, bottom: 380 };
const MARKER = CENTRE_RADIUS + CENTRE_BORDER;

function overlaps(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function markerBox(m: { x: number; y: number }): LabelBox {
  return { x: m.x - MARKER, y: m.y - MARKER, w: 2 * MARKER, h: 2 * MARKER };
}

/** Deterministic points in a small square (a seeded LCG), as 10 centres of a crowded chart. */
function crowded(n: number, seed: number, side: number): { x: number; y: number }[] {
  let s = seed;
  const next = (): number => {
    s = (s * 1664525 + 1013904223) % 4294967296;
    return s / 4294967296;
  };
  return Array.from({ length: n }, () => ({ x: 250 + next() * side, y: 150 + next() * side }));
}

function checkPlacement(marks: { x: number; y: number }[], widths: number[]): (LabelBox | null)[] {
  const placed = placeLabels(marks, widths, 16, AREA);
  assert.equal(placed.length, marks.length);
  const boxes = placed.filter((b): b is LabelBox => b !== null);
  for (let p = 0; p < boxes.length; p++) {
    for (let q = p + 1; q < boxes.length; q++) {
      assert.ok(!overlaps(boxes[p], boxes[q]), `labels ${JSON.stringify(boxes[p])} and ${JSON.stringify(boxes[q])} overlap`);
    }
    for (const m of marks) assert.ok(!overlaps(boxes[p], markerBox(m)), `label ${JSON.stringify(boxes[p])} covers the marker at ${m.x},${m.y}`);
  }
  placed.forEach((b, p) => {
    if (b) assert.equal(b.w, widths[p], 'a label box is as wide as its text');
  });
  return placed;
}

describe('placeLabels: centre labels beside their markers', () => {
  it('puts a lone centre\'s label just beside its marker', () => {
    const [box] = checkPlacement([{ x: 300, y: 200 }], [20]);
    assert.ok(box, 'a lone centre has room for its label');
    assert.ok(Math.abs(box.x + box.w / 2 - 300) < 50 && Math.abs(box.y + box.h / 2 - 200) < 40, `label at ${JSON.stringify(box)} is far from its centre`);
  });

  it('never overlaps two labels, or a label and a marker, for 10 centres placed near each other', () => {
    for (const side of [20, 60, 120]) {
      for (const seed of [1, 2, 3, 4, 5]) {
        const marks = crowded(10, seed, side);
        const placed = checkPlacement(marks, marks.map((_, j) => `C${j}`.length * 8));
        if (side === 120) assert.ok(placed.filter((b) => b !== null).length >= 5, `only ${placed.filter((b) => b !== null).length} of 10 labels placed with room around`);
      }
    }
  });

  it('places every label for 10 centres on a row 40 px apart (the k = 10 case that used to overlap)', () => {
    const marks = Array.from({ length: 10 }, (_, j) => ({ x: 100 + 40 * j, y: 200 + (j % 2) * 6 }));
    const placed = checkPlacement(marks, marks.map(() => 18));
    assert.equal(placed.filter((b) => b !== null).length, 10);
  });

  it('keeps labels inside the chart area (with the right-hand padding)', () => {
    const marks = [{ x: AREA.left + 2, y: AREA.top + 2 }, { x: AREA.right - 2, y: AREA.bottom - 2 }];
    for (const b of placeLabels(marks, [30, 30], 16, AREA)) {
      if (!b) continue;
      assert.ok(b.x >= AREA.left && b.x + b.w <= AREA.right + 24 && b.y >= AREA.top - 8 && b.y + b.h <= AREA.bottom, JSON.stringify(b));
    }
  });
});

describe('drawCentreHalos: a halo under each centre', () => {
  it('fills a diamond wider than the marker and its outline, in the background colour, at every centre', () => {
    const calls: string[] = [];
    const fills: { style: unknown; path: [number, number][] }[] = [];
    let path: [number, number][] = [];
    const ctx: PathContext = {
      fillStyle: 'unset',
      save: () => calls.push('save'),
      restore: () => calls.push('restore'),
      beginPath: () => { path = []; },
      moveTo: (x, y) => { path.push([x, y]); },
      lineTo: (x, y) => { path.push([x, y]); },
      closePath: () => undefined,
      fill: () => { fills.push({ style: ctx.fillStyle, path }); },
    };
    const marks = [{ x: 100, y: 50 }, { x: 130, y: 52 }, { x: 400, y: 300 }];
    drawCentreHalos(ctx, marks, '#1e1e1e');
    assert.deepEqual([calls[0], calls[calls.length - 1]], ['save', 'restore'], 'the halo leaves the context as it found it');
    assert.equal(fills.length, marks.length);
    assert.ok(HALO_RADIUS >= MARKER + 2, `halo ${HALO_RADIUS} px should show a ring of at least 2 px around a ${MARKER} px marker`);
    fills.forEach((f, j) => {
      assert.equal(f.style, '#1e1e1e');
      const reach = Math.max(...f.path.map(([x, y]) => Math.abs(x - marks[j].x) + Math.abs(y - marks[j].y)));
      const near = Math.min(...f.path.map(([x, y]) => Math.abs(x - marks[j].x) + Math.abs(y - marks[j].y)));
      assert.equal(reach, HALO_RADIUS);
      assert.equal(near, HALO_RADIUS, 'a diamond centred on the marker');
    });
  });
});

describe('pngCaption: what a saved PNG says', () => {
  const text = readFileSync(join(__dirname, '../../../examples/iris.csv'), 'utf8');
  const outcome = fitTable(parseCsv(text, { header: 'auto' }), { k: 3, seed: 0, label: 'species' });
  const view = buildPanelView(outcome, { ...DEFAULT_SETTINGS, k: 3 }, 'iris.csv', 5000, { name: 'species', guessed: false }, 1, new Int32Array(0));

  it('titles the image with the file and the fit\'s summary', () => {
    const caption = pngCaption(view);
    assert.equal(caption.title, `iris.csv: ${view.summary}`);
    assert.match(caption.title, /^iris\.csv: .*k=3/);
  });

  it('has a swatch in the cluster\'s colour, its size and its mapped class for every cluster', () => {
    const caption = pngCaption(view);
    assert.equal(caption.legend.length, 3);
    const mapped = new Map(view.labels?.mapping.map((m) => [m.cluster, m.label]));
    caption.legend.forEach((item, j) => {
      assert.equal(item.color, clusterColor(j));
      assert.ok(item.label.startsWith(`Cluster ${j} · ${view.counts[j]} rows`), item.label);
      const label = mapped.get(String(j));
      if (label !== undefined) assert.ok(item.label.endsWith(` → ${label}`), item.label);
    });
    assert.equal(view.counts.reduce((a, b) => a + b, 0), 150);
  });
});
