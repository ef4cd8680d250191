/**
 * The cluster panel's HTML skeleton and its Content Security Policy. The page is static:
 * every piece of CSV text (file name, headers, labels) is filled in later by the webview
 * script through textContent, never as HTML. Pure: no vscode, so it can be tested.
 */

export interface PanelHtmlOptions {
  /** webview.cspSource: the origin of the extension's local resources. */
  cspSource: string;
  /** A fresh random nonce (base64 or hex, at least 128 bits). */
  nonce: string;
  /** webview.asWebviewUri of dist/webview.js and dist/webview.css, as strings. */
  scriptUri: string;
  styleUri: string;
}

/**
 * The Content-Security-Policy: nothing by default; the one script by nonce; styles and
 * fonts only from the extension; images only as data: URLs (chart export). No
 * 'unsafe-inline', no 'unsafe-eval', no remote hosts.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    'img-src data:',
  ].join('; ');
}

/** A nonce must be plain base64/hex: anything else could break out of the attribute. */
function checkNonce(nonce: string): void {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new RangeError('nonce should be at least 16 base64 or hex characters');
}

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The whole document. Element ids are the panel's stable hooks (tests rely on them):
 * #status, #run-label, #progress, #cancel, #summary, #warnings, #scatter, #sample-note,
 * #legend, #metrics, #centers, #labels-section, #contingency, #mapping, #settings-form,
 * #run, #save-png, #export, #method-badge (k-means, k-medoids, DBSCAN or HDBSCAN: the result shown;
 * body's data-method says it too), the "Columns" section #roles (#roles-features, #roles-list,
 * #roles-scaling), and the "Clusters and labels" section #label-map-section (#lm-*);
 * for files of distances #medoids-section, #medoids, #medoids-note, #medoids-caveat and the
 * form's #f-distances; for runs from known centres #known-section, #known-note, #known;
 * the Choose k view: #choose-k (the button), #choosek, #choosek-why,
 * #choosek-table, #ck-<score> canvases, #choosek-cancel; the Density view: #density-open (the
 * button), #density, #kd-chart, #d-method, #d-eps, #d-min-samples, #d-min-cluster-size, #d-run,
 * #density-result, #density-counts, #density-cancel.
 */
export function buildPanelHtml(o: PanelHtmlOptions): string {
  return webviewDocument({
    ...o, styleUris: [o.styleUri], title: 'Clusters', bodyAttributes: 'data-state="idle" data-run="0" data-drawn="no"', body: `
<header class="bar">
  <h1 id="title">Clusters</h1>
  <span id="run-label" class="run-label" aria-live="polite"></span>
  <span id="method-badge" class="method-badge" title="The method of the result shown"></span>
  <span class="spacer"></span>
  <button id="choose-k" type="button" title="Fit a range of k, score each and suggest one">Choose k…</button>
  <button id="density-open" type="button" class="secondary" title="DBSCAN: the k-distance plot to choose eps, then clusters and noise">Density…</button>
  <button id="save-png" type="button" disabled title="Save the chart as a PNG image">Save PNG</button>
  <button id="export" type="button" disabled title="Write the labelled CSV, centroids, model, report or a Python script beside the CSV">Export…</button>
</header>
<section id="choosek" class="choosek" hidden aria-labelledby="choosek-heading">
  <div class="choosek-head">
    <h2 id="choosek-heading">Choose k</h2>
    <span id="choosek-grid" class="note"></span>
    <span class="spacer"></span>
    <button id="choosek-hide" type="button" class="secondary" aria-label="Hide the Choose k view">Hide</button>
  </div>
  <div id="choosek-progress-row" class="progress-row" hidden>
    <progress id="choosek-progress" max="1" aria-label="Choose k progress"></progress>
    <span id="choosek-progress-text" class="progress-text" aria-live="polite"></span>
    <button id="choosek-cancel" type="button" class="secondary">Cancel</button>
  </div>
  <p id="choosek-stale" class="note" role="status"></p>
  <p id="choosek-why" class="why" aria-live="polite"></p>
  <p id="choosek-status" class="status" role="status" aria-live="polite"></p>
  <p class="note">Click a k in a chart or press Fit in the table to fit it and show it below.</p>
  <div class="choosek-charts">
    <figure><figcaption id="ck-inertia-title">Inertia (the elbow is marked)</figcaption><div class="ck-box"><canvas id="ck-inertia" role="img" aria-labelledby="ck-inertia-title"></canvas></div></figure>
    <figure><figcaption id="ck-silhouette-title">Silhouette (higher is better)</figcaption><div class="ck-box"><canvas id="ck-silhouette" role="img" aria-labelledby="ck-silhouette-title"></canvas></div></figure>
    <figure><figcaption id="ck-daviesBouldin-title">Davies-Bouldin (lower is better)</figcaption><div class="ck-box"><canvas id="ck-daviesBouldin" role="img" aria-labelledby="ck-daviesBouldin-title"></canvas></div></figure>
    <figure><figcaption id="ck-calinskiHarabasz-title">Calinski-Harabasz (higher is better)</figcaption><div class="ck-box"><canvas id="ck-calinskiHarabasz" role="img" aria-labelledby="ck-calinskiHarabasz-title"></canvas></div></figure>
    <figure><figcaption id="ck-stability-title">Stability across seeds (ARI)</figcaption><div class="ck-box"><canvas id="ck-stability" role="img" aria-labelledby="ck-stability-title"></canvas></div></figure>
  </div>
  <div class="scroll"><table id="choosek-table" class="grid sweep" aria-label="Scores of every setting"></table></div>
</section>
<section id="density" class="choosek" hidden aria-labelledby="density-heading">
  <div class="choosek-head">
    <h2 id="density-heading">Density (DBSCAN)</h2>
    <span class="spacer"></span>
    <button id="density-hide" type="button" class="secondary" aria-label="Hide the Density view">Hide</button>
  </div>
  <div id="density-progress-row" class="progress-row" hidden>
    <progress id="density-progress" max="1" aria-label="Density progress"></progress>
    <span id="density-progress-text" class="progress-text" aria-live="polite"></span>
    <button id="density-cancel" type="button" class="secondary">Cancel</button>
  </div>
  <p id="density-why" class="why" aria-live="polite"></p>
  <p id="density-status" class="status" role="status" aria-live="polite"></p>
  <div class="density-layout">
    <figure>
      <figcaption id="kd-title">Distance of each row to its min_samples-th neighbour, sorted; the knee suggests eps (click the curve to take its distance as eps)</figcaption>
      <div class="ck-box kd-box"><canvas id="kd-chart" role="img" aria-labelledby="kd-title"></canvas></div>
    </figure>
    <form id="density-form" class="settings" novalidate>
      <label>Method <select id="d-method"><option value="dbscan">DBSCAN</option><option value="hdbscan">HDBSCAN</option></select></label>
      <label class="d-dbscan">eps <input id="d-eps" type="text" inputmode="decimal" autocomplete="off"></label>
      <label>min_samples <input id="d-min-samples" type="number" min="1" max="10000" step="1" value="5"></label>
      <label class="d-hdbscan" hidden>min_cluster_size <input id="d-min-cluster-size" type="number" min="2" max="10000" step="1" value="5"></label>
      <p id="density-error" class="form-error" role="alert"></p>
      <div class="density-buttons"><button id="d-run" type="submit">Run</button><button id="d-kdist" type="button" class="secondary">k-distances again</button></div>
    </form>
  </div>
  <p id="density-result" class="summary" aria-live="polite"></p>
  <ul id="density-counts" class="legend" aria-label="Density clusters and their sizes"></ul>
</section>
<div id="progress-row" class="progress-row" hidden>
  <progress id="progress" max="1" aria-label="Clustering progress"></progress>
  <span id="progress-text" class="progress-text" aria-live="polite"></span>
  <button id="cancel" type="button">Cancel</button>
</div>
<div id="status" class="status" role="status" aria-live="polite"></div>
<p id="summary" class="summary"></p>
<ul id="warnings" class="warnings" aria-label="Warnings"></ul>
<section id="roles" class="roles" hidden aria-labelledby="roles-heading">
  <h2 id="roles-heading">Columns</h2>
  <p id="roles-features" class="roles-line"></p>
  <ul id="roles-list" class="roles-list" aria-label="Columns that are not features, and why"></ul>
  <p id="roles-scaling" class="roles-line"></p>
</section>
<main class="layout">
  <section class="chart-card" aria-labelledby="chart-heading">
    <h2 id="chart-heading">Rows by cluster</h2>
    <div class="chart-box"><canvas id="scatter" role="img" aria-label="Scatter plot of the rows coloured by cluster"></canvas></div>
    <p id="sample-note" class="note"></p>
    <ul id="legend" class="legend" aria-label="Clusters and their sizes"></ul>
  </section>
  <aside class="side">
    <section aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics</h2>
      <table id="metrics" class="metrics"><tbody></tbody></table>
    </section>
    <section aria-labelledby="settings-heading">
      <h2 id="settings-heading">Settings</h2>
      <form id="settings-form" class="settings" novalidate>
        <label>Clusters (k) <input id="f-k" name="k" type="number" min="1" max="1000" step="1" required></label>
        <label>Scaling <select id="f-scale" name="scale">
          <option value="auto">auto (decide from the ranges)</option><option value="none">none</option><option value="standard">standard (z-score)</option><option value="minmax">min–max</option>
        </select></label>
        <label>Seed <input id="f-seed" name="seed" type="number" step="1"></label>
        <label>Init <select id="f-init" name="init">
          <option value="k-means++">k-means++</option><option value="random">random</option>
        </select></label>
        <label>Restarts <input id="f-ninit" name="nInit" type="text" inputmode="numeric" placeholder="auto"></label>
        <label>Algorithm <select id="f-algorithm" name="algorithm">
          <option value="lloyd">Lloyd</option><option value="elkan">Elkan</option>
        </select></label>
        <label>Metric <select id="f-metric" name="metric">
          <option value="euclidean">Euclidean</option><option value="cosine">cosine (spherical k-means)</option>
        </select></label>
        <label>Missing values <select id="f-missing" name="missing">
          <option value="drop">drop the row</option><option value="mean">column mean</option>
        </select></label>
        <label>Label column <select id="f-label" name="label"></select></label>
        <label>View <select id="f-view" name="view">
          <option value="pca">principal components</option><option value="columns">two columns</option>
        </select></label>
        <label class="view-columns" hidden>x axis <select id="f-view-x" name="viewX"></select></label>
        <label class="view-columns" hidden>y axis <select id="f-view-y" name="viewY"></select></label>
        <fieldset class="columns"><legend>Feature columns</legend><div id="f-columns"></div></fieldset>
        <fieldset id="f-distances" class="distances" hidden><legend>Distances</legend>
          <label>Clustering <select id="f-d-algorithm" name="distanceAlgorithm">
            <option value="k-medoids">k-medoids on the distances</option><option value="mds-kmeans">MDS, then k-means (approximate)</option>
          </select></label>
          <label>k-medoids method <select id="f-d-method" name="medoidsMethod">
            <option value="auto">auto (exact when affordable, else FasterPAM)</option><option value="exact">exact (exhaustive search)</option>
            <option value="fasterpam">FasterPAM</option><option value="pam">PAM (BUILD + SWAP)</option>
          </select></label>
          <label>The numbers are <select id="f-d-similarity" name="similarity">
            <option value="auto">ask when unsure</option><option value="distance">distances (smaller = closer)</option>
            <option value="similarity">similarities (larger = closer)</option>
          </select></label>
          <label>Missing pairs <select id="f-d-missing" name="missingPairs">
            <option value="error">ask (or stop)</option><option value="shortest-path">shortest-path distances</option>
          </select></label>
        </fieldset>
        <p id="form-error" class="form-error" role="alert"></p>
        <button id="run" type="submit">Run</button>
      </form>
    </section>
  </aside>
</main>
<section id="medoids-section" class="wide" hidden aria-labelledby="medoids-heading">
  <h2 id="medoids-heading">Medoids</h2>
  <p id="medoids-note" class="note"></p>
  <p id="medoids-caveat" class="caveat" hidden></p>
  <div class="scroll"><table id="medoids" class="grid"></table></div>
</section>
<section id="centers-section" class="wide" aria-labelledby="centers-heading">
  <h2 id="centers-heading">Centres (original units)</h2>
  <div class="scroll"><table id="centers" class="grid"></table></div>
</section>
<section id="known-section" class="wide" hidden aria-labelledby="known-heading">
  <h2 id="known-heading">Starting centres</h2>
  <p id="known-note" class="note"></p>
  <div class="scroll"><table id="known" class="grid known"></table></div>
</section>
<section id="labels-section" class="wide" hidden aria-labelledby="labels-heading">
  <h2 id="labels-heading">Clusters and labels</h2>
  <p id="mapping" class="note"></p>
  <div class="scroll"><table id="contingency" class="grid heat"></table></div>
</section>
<section id="label-map-section" class="wide" hidden aria-labelledby="label-map-heading">
  <h2 id="label-map-heading">Clusters and labels</h2>
  <p id="lm-source" class="note"></p>
  <ul id="lm-notes" class="lm-notes" aria-label="What the numbers of clusters and classes mean"></ul>
  <h3>Agreement with the classes</h3>
  <table id="lm-metrics" class="metrics lm-metrics" aria-label="Agreement between clusters and classes"></table>
  <h3>Mapping</h3>
  <div class="lm-basis" role="radiogroup" aria-label="How clusters are mapped to classes">
    <label><input type="radio" name="lm-basis" value="oneToOne"> Best one-to-one (Hungarian algorithm)</label>
    <label><input type="radio" name="lm-basis" value="manyToOne"> Many-to-one: each cluster's most common class (flattering)</label>
    <span id="lm-edited" class="note" hidden>Edited by hand.</span>
  </div>
  <table id="lm-mapping" class="grid lm-mapping"></table>
  <p id="lm-accuracy" class="lm-accuracy" aria-live="polite"></p>
  <p id="lm-unmatched" class="note"></p>
  <p id="lm-heat-note" class="note"></p>
  <div class="scroll"><table id="lm-contingency" class="grid lm-heat"></table></div>
  <p id="lm-error" class="form-error" role="alert"></p>
</section>
`,
  });
}

/**
 * A webview page: the strict CSP with the nonce checked, the extension's style sheets, `body`
 * (static markup, never CSV text) and the one script by nonce.
 */
export function webviewDocument(o: {
  cspSource: string; nonce: string; scriptUri: string; styleUris: string[]; title: string; bodyAttributes: string; body: string;
}): string {
  checkNonce(o.nonce);
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${o.styleUris.map((u) => `<link rel="stylesheet" href="${escapeHtml(u)}">`).join('\n')}
<title>${escapeHtml(o.title)}</title>
</head>
<body ${o.bodyAttributes}>${o.body}<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
