/**
 * The "Clusters: <file>" webview panel: one per CSV file, opened beside the CSV without
 * taking focus, re-used by every run of that file. It forwards validated webview messages
 * to its owner and keeps the webview up to date (messages are queued until the webview
 * says it is ready). Restored after a reload through the panel serializer.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  parseWebviewMessage, type ColumnInfo, type HostToWebview, type Reply, type RunSettings, type WebviewToHost,
} from '../protocol/messages';
import type { LabelMapView, MappingBasisTag } from '../protocol/labels';
import { PendingRequests } from '../protocol/rpc';
import type { HostToWebviewSweep, WebviewFitK } from '../protocol/sweep';
import type { DensityRequest, HostToWebviewDensity } from '../protocol/density';
import type { PanelView } from '../protocol/view';
import { buildPanelHtml } from './html';
import type { Log } from './log';

export const PANEL_VIEW_TYPE = 'centroid.clusters';

/** What the panel asks of its owner. */
export interface PanelHost {
  /** Starts a run with the form's settings; resolves once it has started (its outcome arrives as panel messages). */
  rerun(panel: ClusterPanel, settings: RunSettings): Promise<void>;
  cancel(panel: ClusterPanel): void;
  revealRow(panel: ClusterPanel, row: number): Promise<void>;
  savePng(panel: ClusterPanel, dataUrl: string): Promise<string | null>;
  /** A mapping of clusters to classes edited in the panel (checked by the host against its study). */
  setMapping?(panel: ClusterPanel, mapping: (string | null)[], basis: MappingBasisTag): Promise<void>;
  /** The panel's Export button. */
  exportFrom?(panel: ClusterPanel): void;
  /** The "Choose k…" button: ask for a range and sweep the panel's file. */
  chooseK(panel: ClusterPanel): void;
  cancelSweep(panel: ClusterPanel): void;
  /** A k picked in the Choose k view: fit it and show it in the cluster view. */
  fitK(panel: ClusterPanel, choice: Omit<WebviewFitK, 'type'>): void;
  /** The Density view: a k-distance curve, DBSCAN or HDBSCAN on the panel's file; or stop it. */
  density(panel: ClusterPanel, request: DensityRequest): void;
  cancelDensity(panel: ClusterPanel): void;
}

/** The state the webview keeps with vscode.setState, read back by the serializer. */
export interface PanelPersistedState {
  file: string;
}

export class ClusterPanel implements vscode.Disposable {
  /** Results shown so far; the webview shows it as "Run #N" and data-run. */
  private run = 0;
  private ready = false;
  private readonly queue: HostToWebview[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** Requests this host makes of the webview (the chart as a PNG). */
  private readonly requests = new PendingRequests<string | null>();
  private labelMaps = 0;
  private readonly onDidDisposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.onDidDisposeEmitter.event;

  /**
   * Opens a new panel for `uri` beside the active editor, or adopts `existing` (a panel
   * restored by the serializer).
   */
  constructor(
    readonly uri: vscode.Uri,
    extensionUri: vscode.Uri,
    private readonly host: PanelHost,
    private readonly log: Log,
    existing?: vscode.WebviewPanel,
  ) {
    const dist = vscode.Uri.joinPath(extensionUri, 'dist');
    const options: vscode.WebviewPanelOptions & vscode.WebviewOptions = {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [dist],
    };
    this.panel = existing ?? vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE, ClusterPanel.title(uri), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, options,
    );
    this.panel.title = ClusterPanel.title(uri);
    this.panel.webview.options = options;
    this.panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    const webview = this.panel.webview;
    webview.html = buildPanelHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css')).toString(),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private readonly panel: vscode.WebviewPanel;

  static title(uri: vscode.Uri): string {
    return `Clusters: ${uri.path.split('/').pop() ?? uri.fsPath}`;
  }

  get visible(): boolean {
    return this.panel.visible;
  }

  get active(): boolean {
    return this.panel.active;
  }

  /** Brings the panel to the front without moving focus from the editor. */
  reveal(preserveFocus = true): void {
    this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus);
  }

  showSettings(settings: RunSettings, columns: ColumnInfo[]): void {
    this.post({ type: 'panel/settings', settings, columns, fileName: this.uri.path.split('/').pop() ?? '', file: this.uri.toString() });
  }

  showRunning(fraction: number | null, message: string): void {
    this.post({ type: 'panel/running', fraction, message });
  }

  showResult(view: PanelView, settings: RunSettings): number {
    this.run++;
    this.post({ type: 'panel/result', run: this.run, view, settings });
    return this.run;
  }

  showFailure(message: string, cancelled: boolean): void {
    this.post({ type: 'panel/failed', message, cancelled });
  }

  /** Shows the "Clusters and labels" section; `seq` is filled in here (data-labelmap counts them). */
  showLabelMap(view: Omit<LabelMapView, 'seq'>): number {
    this.labelMaps++;
    this.post({ type: 'panel/labelMap', view: { ...view, seq: this.labelMaps } });
    return this.labelMaps;
  }

  /** The chart as a `data:image/png;base64,` URL, or null when none is drawn (or the webview does not answer in time). */
  async chartPng(timeoutMs = 15000): Promise<string | null> {
    if (this.disposed) return null;
    const { id, promise } = this.requests.create('The chart image', timeoutMs);
    this.post({ type: 'panel/chartRequest', id });
    try {
      return await promise;
    } catch (e) {
      this.log.info(`no chart image from the panel: ${(e as Error).message}`);
      return null;
    }
  }

  /** A message for the Choose k view. */
  showSweep(message: HostToWebviewSweep): void {
    this.post(message);
  }

  /** A message for the Density view. */
  showDensity(message: HostToWebviewDensity): void {
    this.post(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.requests.rejectAll(new Error('the panel was closed'));
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.onDidDisposeEmitter.fire();
    this.onDidDisposeEmitter.dispose();
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    if (!this.ready) {
      // Only the latest running/result state matters; settings are kept in order.
      this.queue.push(message);
      return;
    }
    void this.panel.webview.postMessage(message).then(undefined, (e: unknown) => this.log.info(`could not post to the panel: ${String(e)}`));
  }

  private reply(id: number, reply: Reply<unknown>): void {
    this.post({ type: 'host/reply', id, ...reply });
  }

  private onMessage(raw: unknown): void {
    let message: WebviewToHost;
    try {
      message = parseWebviewMessage(raw);
    } catch (e) {
      this.log.info(`ignored an invalid message from the panel: ${(e as Error).message}`);
      const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'number' ? (raw as { id: number }).id : undefined;
      if (id !== undefined) this.reply(id, { ok: false, error: (e as Error).message });
      return;
    }
    switch (message.type) {
      case 'webview/ready': {
        this.ready = true;
        const queued = this.queue.splice(0);
        for (const m of queued) this.post(m);
        return;
      }
      case 'webview/rerun': {
        const id = message.id;
        this.host.rerun(this, message.settings).then(
          () => this.reply(id, { ok: true, value: null }),
          (e: unknown) => this.reply(id, { ok: false, error: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
        );
        return;
      }
      case 'webview/cancel':
        this.host.cancel(this);
        return;
      case 'webview/revealRow':
        this.host.revealRow(this, message.row).catch((e: unknown) => this.log.info(`could not reveal row ${message.row}: ${String(e)}`));
        return;
      case 'webview/savePng': {
        const id = message.id;
        this.host.savePng(this, message.dataUrl).then(
          (path) => this.reply(id, { ok: true, value: path }),
          (e: unknown) => this.reply(id, { ok: false, error: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
        );
        return;
      }
      case 'webview/error':
        this.log.info(`panel: ${message.message}`);
        return;
      case 'webview/setMapping': {
        const id = message.id;
        const set = this.host.setMapping?.(this, message.mapping, message.basis) ?? Promise.reject(new Error('mapping is not available here'));
        set.then(
          () => this.reply(id, { ok: true, value: null }),
          (e: unknown) => this.reply(id, { ok: false, error: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
        );
        return;
      }
      case 'webview/export':
        this.host.exportFrom?.(this);
        return;
      case 'webview/chartPng':
        this.requests.resolve(message.id, message.dataUrl);
        return;
      case 'webview/chooseK':
        this.host.chooseK(this);
        return;
      case 'webview/sweepCancel':
        this.host.cancelSweep(this);
        return;
      case 'webview/fitK':
        this.host.fitK(this, { k: message.k, init: message.init, metric: message.metric });
        return;
      case 'webview/density':
        this.host.density(this, message.request);
        return;
      case 'webview/densityCancel':
        this.host.cancelDensity(this);
        return;
      default: {
        const never: never = message;
        this.log.info(`ignored panel message ${JSON.stringify(never)}`);
      }
    }
  }
}
