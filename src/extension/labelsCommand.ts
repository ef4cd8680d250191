/**
 * "Map Clusters to Labels…": pick the column of known classes (a Quick Pick whose first,
 * suggested item Enter accepts), compare it with the file's last fit (contingency table,
 * external metrics, best one-to-one mapping) and show the result in the panel. The panel
 * can change the mapping by hand; the annotations and the exports then use that mapping.
 */
import * as vscode from 'vscode';
import { showError } from './notify';
import { labelColumn } from '../csv/dataset';
import { FileError } from '../node/files';
import { readSourceTable } from '../node/sourceTable';
import type { MappingInUse } from '../pipeline/exports';
import { checkMapping, mappingRecord, studyLabels, summarizeMapping, type LabelStudy, type MappingBasis } from '../pipeline/labelMap';
import type { JobOutput } from '../protocol/messages';
import type { AnnotationManager } from './annotations';
import { limitsFromConfig } from './config';
import type { ClusterController } from './controller';
import { labelColumnChoices, labelMapView } from './labelMapView';
import { sentence, type Log } from './log';
import type { ClusterPanel } from './panel';

interface State {
  /** The fit the study belongs to: a newer run of the file makes the study stale. */
  output: JobOutput;
  study: LabelStudy;
  mapping: (string | null)[];
  basis: MappingBasis;
}

/** What the command resolves to (for tests and other extensions). */
export interface LabelMapSummary {
  column: string;
  mapping: (string | null)[];
  basis: MappingBasis;
  accuracy: number;
  metrics: LabelStudy['metrics'];
}

export class LabelMapper {
  private readonly states = new Map<string, State>();

  constructor(
    private readonly controller: ClusterController,
    private readonly annotations: AnnotationManager,
    private readonly log: Log,
  ) {}

  /**
   * Runs the command for `uri`. Clusters the file first when it has no result. `column`
   * skips the Quick Pick. Resolves to undefined when the user backs out or it failed (the
   * user has been told why).
   */
  async mapLabels(uri: vscode.Uri, column?: string): Promise<LabelMapSummary | undefined> {
    const name = fileName(uri);
    if (!this.controller.resultOf(uri)) {
      const report = await this.controller.cluster(uri);
      if (!report) return undefined;
    }
    const result = this.controller.resultOf(uri);
    if (!result) return undefined;
    const { output } = result;
    if (output.medoids) {
      // The clusters belong to the items of the distances, not to the file's rows.
      this.log.error(`${name} holds distances between items, not rows with classes: its clusters cannot be mapped to a label column; the Medoids table names them.`);
      return undefined;
    }
    const config = vscode.workspace.getConfiguration('centroid');
    const limits = limitsFromConfig((k) => config.get(k));
    try {
      const { table } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Reading ${name}` },
        () => Promise.resolve(readSourceTable(uri.fsPath, { bytes: output.file.bytes, nRows: output.labels.length }, limits.maxBytes)),
      );
      let chosen = column;
      if (chosen === undefined) {
        const numeric = new Set(output.file.columns.filter((c) => c.numeric).map((c) => c.name));
        const preferred = this.states.get(uri.toString())?.study.column ?? output.labelColumn?.name;
        const choices = labelColumnChoices(table, numeric, output.report.featureNames, preferred);
        if (choices.length === 0) {
          void showError(`${name} has no columns to use as labels.`);
          return undefined;
        }
        const picked = await vscode.window.showQuickPick(choices.map((ch) => ({
          label: ch.name,
          description: `${ch.numeric ? 'numbers' : 'text'} · ${ch.distinct > 1000 ? 'over 1000' : ch.distinct} distinct value${ch.distinct === 1 ? '' : 's'}${ch.suggested ? ' · suggested' : ''}`,
        })), {
          title: `Map the clusters of ${name} to labels`,
          placeHolder: 'Column of known classes (Enter takes the suggested one)',
          ignoreFocusOut: true,
        });
        if (!picked) return undefined;
        chosen = picked.label;
      }
      const values = labelColumn(table, chosen).values;
      const study = studyLabels(values, output.labels, output.report.options.k, chosen);
      const state: State = { output, study, mapping: [...study.oneToOne], basis: 'oneToOne' };
      this.states.set(uri.toString(), state);
      this.log.info(`${name}: mapped ${study.k} clusters to the ${study.classes.length} classes of "${chosen}"`);
      await this.controller.showPanel(uri);
      this.apply(uri, state);
      return this.summary(state);
    } catch (e) {
      const message = e instanceof FileError ? capitalised(sentence(e)) : `Cannot map the clusters of ${name} to labels: ${sentence(e)}`;
      this.log.error(`${message}.`.replace(/\.\.$/, '.'), (e as Error).stack);
      return undefined;
    }
  }

  /** The mapping in use for `uri`, when it belongs to the file's current fit. */
  current(uri: vscode.Uri): MappingInUse | undefined {
    const state = this.fresh(uri);
    return state ? { study: state.study, mapping: state.mapping, basis: state.basis } : undefined;
  }

  /** Remembers a study made elsewhere (export computes one from the fit's own label column). */
  adopt(uri: vscode.Uri, output: JobOutput, study: LabelStudy): MappingInUse {
    const state: State = { output, study, mapping: [...study.oneToOne], basis: 'oneToOne' };
    this.states.set(uri.toString(), state);
    return { study, mapping: state.mapping, basis: state.basis };
  }

  /** A mapping from the panel: checked against the study, then used everywhere. */
  setMapping(panel: ClusterPanel, mapping: (string | null)[], basis: MappingBasis): Promise<void> {
    const state = this.fresh(panel.uri);
    if (!state) return Promise.reject(new Error('the file was clustered again; run Map Clusters to Labels again'));
    state.mapping = checkMapping(state.study, mapping);
    state.basis = basis;
    this.log.info(`${fileName(panel.uri)}: mapping set by hand (${basis}): ${JSON.stringify(mappingRecord(state.mapping))}`);
    this.apply(panel.uri, state);
    return Promise.resolve();
  }

  /** The summary of the mapping in use for `uri` (test API). */
  summaryOf(uri: vscode.Uri): LabelMapSummary | undefined {
    const state = this.fresh(uri);
    return state ? this.summary(state) : undefined;
  }

  private summary(state: State): LabelMapSummary {
    return {
      column: state.study.column,
      mapping: [...state.mapping],
      basis: state.basis,
      accuracy: summarizeMapping(state.study, state.mapping).accuracy,
      metrics: state.study.metrics,
    };
  }

  private fresh(uri: vscode.Uri): State | undefined {
    const state = this.states.get(uri.toString());
    if (!state) return undefined;
    if (this.controller.resultOf(uri)?.output !== state.output) {
      this.states.delete(uri.toString());
      return undefined;
    }
    return state;
  }

  private apply(uri: vscode.Uri, state: State): void {
    this.controller.panelOf(uri)?.showLabelMap(labelMapView(state.study, state.mapping, state.basis));
    this.annotations.setMapping(uri, state.output, mappingRecord(state.mapping));
  }
}

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.fsPath;
}
