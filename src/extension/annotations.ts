/**
 * Inline annotations in the CSV editor: before each data row a marker of its cluster
 * (`C2 ▶`, on a chip of the cluster's colour: the start of a line is in view however wide
 * the file), after it the cluster and distance in the cluster's colour, both with a hover
 * listing the distances to every centre. Only the
 * visible lines (plus a margin) get decorations, so a million-line file scrolls smoothly.
 * Edited rows are re-assigned to the current centres after a short pause (no refit); when
 * the file's columns change, the annotations are cleared and the status bar says why.
 */
import * as vscode from 'vscode';
import { clusterColor, withAlpha } from '../protocol/palette';
import type { JobOutput } from '../protocol/messages';
import { assignLine, splitCsvLine, type AssignModel } from './assign';
import { NOISE_LABEL, type ClustersOutput } from '../protocol/density';
import { annotationHover, annotationMarker, annotationText, densityAnnotationText, densityHover } from './annotationText';
import { distanceRowText } from './distanceText';
import { LineClusters, NOISE, NONE, PENDING } from './lineModel';
import type { Log } from './log';
import { mappingOf } from './report';

/** Lines above and below the visible range that also get decorations (smooth small scrolls). */
const MARGIN_LINES = 60;
/** Pause after the last edit before edited rows are re-assigned. */
const EDIT_PAUSE_MS = 400;
/** Lines re-assigned per slice before yielding to the event loop. */
const ASSIGN_SLICE = 5000;

/** What the annotations of one file are drawn from: a k-means (or k-medoids) result, or a density one. */
interface Tracked {
  /** The file as the result read it (lines of its rows, delimiter, columns). */
  file: JobOutput['file'];
  /** A k-means, k-medoids or predicted result; undefined for a density result. */
  output: JobOutput | undefined;
  /** A DBSCAN or HDBSCAN result (edited rows are not re-assigned: DBSCAN has no predict). */
  density: ClustersOutput | undefined;
  /** Centres to re-assign edited rows to; undefined for a density result. */
  model: AssignModel | undefined;
  mapping: Record<string, string> | undefined;
  /** The open document's line model (built on first render, dropped on close). */
  lines: LineClusters | undefined;
  /** Why annotations are off for this file, when they are. */
  cleared: string | undefined;
  editTimer: ReturnType<typeof setTimeout> | undefined;
  /** The document was edited since the fit (its lines on disk may no longer match the fit). */
  edited: boolean;
}

export class AnnotationManager implements vscode.Disposable {
  private readonly tracked = new Map<string, Tracked>();
  /** One decoration type per cluster colour, created on first use. */
  private readonly types: vscode.TextEditorDecorationType[] = [];
  /** One marker (before-text) decoration type per cluster colour, created on first use. */
  private readonly markerTypes: vscode.TextEditorDecorationType[] = [];
  /** The grey decoration of noise rows (density results), created on first use. */
  private noiseType: vscode.TextEditorDecorationType | undefined;
  /** The marker of noise rows at the line's start, created on first use. */
  private noiseMarkerType: vscode.TextEditorDecorationType | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderTimers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  private enabled: boolean;

  constructor(private readonly log: Log) {
    this.enabled = vscode.workspace.getConfiguration('centroid').get<boolean>('annotations.enabled', true);
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.scheduleRender(e))),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.scheduleRender(e.textEditor)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const t = this.tracked.get(doc.uri.toString());
        if (!t) return;
        t.lines = undefined;
        // Reopened later, the file may hold other rows than the fit saw.
        if (t.edited && t.cleared === undefined) t.cleared = `${doc.uri.path.split('/').pop() ?? ''} was edited since it was clustered`;
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('centroid.annotations.enabled')) return;
        this.enabled = vscode.workspace.getConfiguration('centroid').get<boolean>('annotations.enabled', true);
        this.renderAll();
      }),
    );
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Uses a new fit for `uri`: builds the line model for its open document and redraws. */
  setResult(uri: vscode.Uri, output: JobOutput): void {
    const key = uri.toString();
    const previous = this.tracked.get(key);
    if (previous?.editTimer) clearTimeout(previous.editTimer);
    const t: Tracked = {
      file: output.file,
      output,
      density: undefined,
      model: output.model,
      mapping: mappingOf(output),
      lines: undefined,
      cleared: undefined,
      editTimer: undefined,
      edited: false,
    };
    this.tracked.set(key, t);
    this.renderAll();
  }

  /**
   * Uses a DBSCAN or HDBSCAN result for `uri` (replacing any k-means one): `◀ noise`,
   * `◀ cluster 2`, and for HDBSCAN `◀ cluster 2 · p=0.87` with the row's membership strength.
   */
  setDensity(uri: vscode.Uri, output: ClustersOutput): void {
    const key = uri.toString();
    const previous = this.tracked.get(key);
    if (previous?.editTimer) clearTimeout(previous.editTimer);
    this.tracked.set(key, {
      file: output.file, output: undefined, density: output, model: undefined, mapping: undefined,
      lines: undefined, cleared: undefined, editTimer: undefined, edited: false,
    });
    this.renderAll();
  }

  /**
   * Uses another cluster -> class mapping for `uri` (edited by hand, or from another label
   * column) in the after-text and the hover. Ignored when `output` is not the fit shown.
   */
  setMapping(uri: vscode.Uri, output: JobOutput, mapping: Record<string, string> | undefined): void {
    const t = this.tracked.get(uri.toString());
    if (!t || t.output === undefined || t.output !== output) return;
    t.mapping = mapping;
    this.renderAll();
  }

  /** Removes the annotations of `uri` (e.g. a failed re-run leaves the previous ones). */
  forget(uri: vscode.Uri): void {
    this.tracked.delete(uri.toString());
    this.renderAll();
  }

  /** Line model of `uri` if its document is open and annotated (for reveal after edits). */
  linesOf(uri: vscode.Uri): LineClusters | undefined {
    return this.tracked.get(uri.toString())?.lines;
  }

  redraw(): void {
    this.renderAll();
  }

  dispose(): void {
    for (const timer of this.renderTimers.values()) clearTimeout(timer);
    for (const t of this.tracked.values()) if (t.editTimer) clearTimeout(t.editTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const type of this.types.splice(0)) type.dispose();
    for (const type of this.markerTypes.splice(0)) type.dispose();
    this.noiseType?.dispose();
    this.noiseMarkerType?.dispose();
    this.tracked.clear();
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.scheduleRender(editor);
  }

  private scheduleRender(editor: vscode.TextEditor): void {
    if (this.renderTimers.has(editor)) return;
    this.renderTimers.set(editor, setTimeout(() => {
      this.renderTimers.delete(editor);
      try {
        this.render(editor);
      } catch (e) {
        this.log.info(`annotations: ${(e as Error).stack ?? String(e)}`);
      }
    }, 30));
  }

  private typeFor(cluster: number): vscode.TextEditorDecorationType {
    if (cluster === NOISE) {
      this.noiseType ??= vscode.window.createTextEditorDecorationType({
        after: { color: clusterColor(-1), margin: '0 0 0 2em', fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
      });
      return this.noiseType;
    }
    while (this.types.length <= cluster) {
      const color = clusterColor(this.types.length);
      this.types.push(vscode.window.createTextEditorDecorationType({
        after: { color, margin: '0 0 0 2em', fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedOpen,
      }));
    }
    return this.types[cluster];
  }

  private markerTypeFor(cluster: number): vscode.TextEditorDecorationType {
    if (cluster === NOISE) {
      this.noiseMarkerType ??= vscode.window.createTextEditorDecorationType({
        before: {
          color: new vscode.ThemeColor('editor.foreground'),
          border: `1px dashed ${clusterColor(-1)}`,
          margin: '0 0.6em 0 0',
          fontStyle: 'italic',
        },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
      return this.noiseMarkerType;
    }
    while (this.markerTypes.length <= cluster) {
      const color = clusterColor(this.markerTypes.length);
      // The editor's own text colour on a tint of the cluster's colour, framed in that
      // colour: readable on light, dark and high-contrast themes alike (a yellow text on white is not).
      this.markerTypes.push(vscode.window.createTextEditorDecorationType({
        before: {
          color: new vscode.ThemeColor('editor.foreground'),
          backgroundColor: withAlpha(color, 0.3),
          border: `1px solid ${color}`,
          margin: '0 0.6em 0 0',
          fontWeight: 'bold',
        },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }));
    }
    return this.markerTypes[cluster];
  }

  private linesFor(doc: vscode.TextDocument, t: Tracked): LineClusters | undefined {
    if (t.cleared !== undefined) return undefined;
    if (!t.lines) {
      if (t.density) {
        // Noise gets its own line code; HDBSCAN's membership strength rides in the distance slot.
        const labels = Int32Array.from(t.density.labels, (l) => (l >= 0 ? l : l === NOISE_LABEL ? NOISE : NONE));
        const strengths = t.density.probabilities ?? new Float64Array(labels.length).fill(NaN);
        t.lines = new LineClusters(doc.lineCount, t.file.rowLine, labels, strengths);
      } else if (t.output) {
        t.lines = new LineClusters(doc.lineCount, t.file.rowLine, t.output.labels, t.output.distances);
      } else {
        return undefined;
      }
    }
    return t.lines.lineCount === doc.lineCount ? t.lines : undefined;
  }

  private render(editor: vscode.TextEditor): void {
    const doc = editor.document;
    const t = this.tracked.get(doc.uri.toString());
    const perCluster = new Map<number, vscode.DecorationOptions[]>();
    const markers = new Map<number, vscode.DecorationOptions[]>();
    const lines = t && this.enabled ? this.linesFor(doc, t) : undefined;
    // The widest cluster number, so every marker has the same width.
    const markerK = t?.density ? t.density.view.k : t?.output?.report.options.k ?? 0;
    if (t && lines) {
      const seen = new Set<number>();
      for (const range of editor.visibleRanges) {
        const from = Math.max(0, range.start.line - MARGIN_LINES);
        const to = Math.min(doc.lineCount - 1, range.end.line + MARGIN_LINES);
        for (let line = from; line <= to; line++) {
          if (seen.has(line)) continue;
          seen.add(line);
          const cluster = lines.cluster[line];
          if (cluster < 0 && cluster !== NOISE) continue;
          const edited = lines.edited[line] === 1;
          const text = doc.lineAt(line).text;
          const end = new vscode.Position(line, text.length);
          // The range covers the last character: a hover over the after-text (anchored at the
          // line's end) then falls inside it, which an empty range would not.
          const start = new vscode.Position(line, Math.max(0, text.length - 1));
          let hover: vscode.MarkdownString;
          let contentText: string;
          if (t.density) {
            if (edited) continue;
            const strength = t.density.probabilities ? lines.distance[line] : null;
            contentText = densityAnnotationText(cluster === NOISE ? -1 : cluster, strength);
            hover = new vscode.MarkdownString(densityHover(cluster === NOISE ? -1 : cluster, strength, t.density));
          } else if (!t.output || !t.model) {
            continue;
          } else if (t.output.medoids) {
            // A file of distances: the row's item (matrix) or the edge's two items.
            const words = edited ? null : distanceRowText(t.output.medoids, lines.row[line]);
            if (!words) continue;
            hover = new vscode.MarkdownString(words.hover);
            contentText = words.text;
          } else {
            const assignment = assignLine(text, t.output.file.delimiter, t.output.file.nColumns, t.model);
            const predictedWith = t.output.predictedWith;
            hover = new vscode.MarkdownString(annotationHover(cluster, assignment?.distances ?? null, t.model.metric, t.mapping, edited, predictedWith));
            contentText = annotationText(cluster, lines.distance[line], t.mapping?.[String(cluster)], edited, predictedWith !== undefined);
          }
          const option: vscode.DecorationOptions = {
            range: new vscode.Range(start, end),
            hoverMessage: hover,
            renderOptions: { after: { contentText } },
          };
          // The marker's range covers the first character, so hovering the marker shows the hover too.
          const marker: vscode.DecorationOptions = {
            range: new vscode.Range(line, 0, line, Math.min(1, text.length)),
            hoverMessage: hover,
            renderOptions: { before: { contentText: cluster === NOISE ? 'noise ▶' : annotationMarker(cluster, markerK) } },
          };
          push(perCluster, cluster, option);
          push(markers, cluster, marker);
        }
      }
      for (const cluster of perCluster.keys()) {
        this.typeFor(cluster);
        this.markerTypeFor(cluster);
      }
    }
    for (let j = 0; j < this.types.length; j++) editor.setDecorations(this.types[j], perCluster.get(j) ?? []);
    for (let j = 0; j < this.markerTypes.length; j++) editor.setDecorations(this.markerTypes[j], markers.get(j) ?? []);
    if (this.noiseType) editor.setDecorations(this.noiseType, perCluster.get(NOISE) ?? []);
    if (this.noiseMarkerType) editor.setDecorations(this.noiseMarkerType, markers.get(NOISE) ?? []);
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const t = this.tracked.get(e.document.uri.toString());
    if (!t || !t.lines || t.cleared !== undefined || e.contentChanges.length === 0) return;
    // Changes refer to the document before the event and do not overlap: apply bottom-up.
    t.edited = true;
    const changes = [...e.contentChanges].sort((a, b) => b.range.start.line - a.range.start.line);
    for (const change of changes) {
      let newCount = 1;
      for (let i = 0; i < change.text.length; i++) if (change.text.charCodeAt(i) === 10) newCount++;
      t.lines.replaceLines(change.range.start.line, change.range.end.line, newCount);
    }
    if (t.lines.lineCount !== e.document.lineCount) {
      // Out of step (should not happen): rebuild from the fit on the next render.
      this.log.info(`annotations: line model out of step for ${e.document.uri.fsPath}; rebuilt`);
      t.lines = undefined;
    }
    if (t.editTimer) clearTimeout(t.editTimer);
    t.editTimer = setTimeout(() => {
      t.editTimer = undefined;
      void this.afterEdits(e.document, t);
    }, EDIT_PAUSE_MS);
    this.renderAll();
  }

  /** After a pause in editing: check the shape, then re-assign the edited lines in slices. */
  private async afterEdits(doc: vscode.TextDocument, t: Tracked): Promise<void> {
    if (doc.isClosed || this.tracked.get(doc.uri.toString()) !== t || !t.lines) return;
    const shape = shapeLine(doc, t);
    if (shape !== null) {
      const fields = splitCsvLine(doc.lineAt(shape).text, t.file.delimiter);
      const now = fields?.length ?? 0;
      if (fields !== null && now !== t.file.nColumns) {
        const name = doc.uri.path.split('/').pop() ?? '';
        t.cleared = `${name} now has ${now} column${now === 1 ? '' : 's'} instead of ${t.file.nColumns}`;
        t.lines = undefined;
        vscode.window.setStatusBarMessage(`Centroid: annotations cleared because ${t.cleared}; run Cluster this CSV again`, 10000);
        this.log.info(`annotations cleared: ${t.cleared}`);
        this.renderAll();
        return;
      }
    }
    const pending = t.lines.pendingLines();
    for (let start = 0; start < pending.length; start += ASSIGN_SLICE) {
      const lines = t.lines;
      if (!lines || doc.isClosed || this.tracked.get(doc.uri.toString()) !== t) return;
      const end = Math.min(pending.length, start + ASSIGN_SLICE);
      for (let p = start; p < end; p++) {
        const line = pending[p];
        if (line >= doc.lineCount || lines.cluster[line] !== PENDING) continue;
        const isHeader = line === shape && t.file.hasHeader;
        // Rows of a file of distances, and of a density result (DBSCAN has no predict), are not
        // re-assigned: an edited row has no cluster until the next run.
        const a = isHeader || !t.model || t.output?.medoids ? null : assignLine(doc.lineAt(line).text, t.file.delimiter, t.file.nColumns, t.model);
        lines.setLine(line, a ? a.cluster : NONE, a ? a.distance : NaN);
      }
      if (end < pending.length) await new Promise((resolve) => setImmediate(resolve));
    }
    this.renderAll();
  }
}

function push<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The line whose field count defines the file's shape: the header, else the first data row. */
function shapeLine(doc: vscode.TextDocument, t: Tracked): number | null {
  if (t.file.hasHeader) {
    const first = t.file.rowLine.length > 0 ? t.file.rowLine[0] : doc.lineCount;
    // The header is the first non-blank line above the first data row.
    for (let line = 0; line < Math.min(first, doc.lineCount); line++) if (doc.lineAt(line).text.trim() !== '') return line;
    return null;
  }
  for (let line = 0; line < doc.lineCount; line++) if (doc.lineAt(line).text.trim() !== '') return line;
  return null;
}
