/**
 * The "Add Rows: <file>" webview panel: the three ways of taking new rows into the model side
 * by side (inertia before and after, rows that changed cluster, the seed that won), each with
 * an Adopt button. Messages from the webview are validated (src/protocol/models.ts) before use;
 * the page is static HTML filled in by its script through textContent.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { AddWay } from '../pipeline/modelRows';
import { parseModelsPanelMessage, type AddRowsView, type HostToModelsPanel } from '../protocol/models';
import { webviewDocument } from './html';
import type { Log } from './log';

export const MODELS_VIEW_TYPE = 'centroid.addRows';

export interface ModelsPanelHost {
  adopt(run: number, way: AddWay): Promise<string>;
  cancel(): void;
}

export class AddRowsPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private ready = false;
  private readonly queue: HostToModelsPanel[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private run = 0;
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDidDisposeEmitter.event;

  constructor(title: string, extensionUri: vscode.Uri, private readonly host: ModelsPanelHost, private readonly log: Log) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    this.panel = vscode.window.createWebviewPanel(MODELS_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist],
    });
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    const webview = this.panel.webview;
    webview.html = modelsPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'models.js')).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(), webview.asWebviewUri(vscode.Uri.joinPath(dist, 'models.css')).toString()],
    });
    this.disposables.push(webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)), this.panel.onDidDispose(() => this.dispose()));
  }

  set title(title: string) {
    this.panel.title = title;
  }

  reveal(): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
  }

  /** Shows a new set of ways; returns its run number (what an adopt refers to). */
  show(view: AddRowsView): number {
    this.run++;
    this.post({ type: 'models/show', run: this.run, view });
    return this.run;
  }

  get currentRun(): number {
    return this.run;
  }

  running(fraction: number | null, message: string): void {
    this.post({ type: 'models/running', fraction, message });
  }

  failed(message: string): void {
    this.post({ type: 'models/failed', message });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDidDisposeEmitter.fire();
    this.onDidDisposeEmitter.dispose();
  }

  private post(message: HostToModelsPanel): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.log.info(`could not post to the Add Rows panel: ${String(e)}`));
  }

  private onMessage(raw: unknown): void {
    let message;
    try {
      message = parseModelsPanelMessage(raw);
    } catch (e) {
      this.log.info(`ignored an invalid message from the Add Rows panel: ${(e as Error).message}`);
      return;
    }
    switch (message.type) {
      case 'models/ready':
        this.ready = true;
        for (const m of this.queue.splice(0)) this.post(m);
        return;
      case 'models/cancel':
        this.host.cancel();
        return;
      case 'models/adopt': {
        const way = message.way;
        if (message.run !== this.run) {
          this.post({ type: 'models/adopted', adopted: null, message: 'These results are out of date; choose from the latest ones.' });
          return;
        }
        this.host.adopt(message.run, way).then(
          (text) => this.post({ type: 'models/adopted', adopted: way, message: text }),
          (e: unknown) => this.post({ type: 'models/adopted', adopted: null, message: e instanceof Error ? e.message : String(e) }),
        );
        return;
      }
      default: {
        const never: never = message;
        this.log.info(`ignored Add Rows panel message ${JSON.stringify(never)}`);
      }
    }
  }
}

/** The panel's static page; ids are the script's (and the tests') hooks. Pure. */
export function modelsPanelHtml(o: { cspSource: string; nonce: string; scriptUri: string; styleUris: string[] }): string {
  return webviewDocument({
    ...o, title: 'Add Rows', bodyAttributes: 'data-state="idle" data-run="0" data-adopted=""', body: `
<header class="bar">
  <h1 id="title">Add rows to the model</h1>
  <span id="run-label" class="run-label" aria-live="polite"></span>
</header>
<div id="progress-row" class="progress-row" hidden>
  <progress id="progress" max="1" aria-label="Progress of adding rows"></progress>
  <span id="progress-text" class="progress-text" aria-live="polite"></span>
  <button id="cancel" type="button">Cancel</button>
</div>
<div id="status" class="status" role="status" aria-live="polite"></div>
<p id="summary" class="summary"></p>
<ul id="warnings" class="warnings" aria-label="Warnings"></ul>
<section aria-labelledby="ways-heading">
  <h2 id="ways-heading">Three ways to take the new rows in</h2>
  <div class="scroll"><table id="ways" class="grid ways"></table></div>
  <p class="note">Inertia is the sum of squared distances of all rows (old and new) to their nearest centre, in the model's units; lower is tighter. The model's scaling is kept as it is.</p>
</section>
<section aria-labelledby="changed-heading">
  <h2 id="changed-heading">Rows that changed cluster</h2>
  <div id="changed"></div>
</section>
`,
  });
}
