/**
 * Messages and shapes of the panel's "Clusters and labels" section (Map Clusters to Labels…)
 * and of the panel's part in "Export…": the host sends the study and the mapping in use; the
 * webview sends a mapping edited by hand, asks for an export, and answers the host's request
 * for the chart as a PNG. Everything from the webview is checked here before use. Pure.
 */
import { ProtocolError } from './messages';

/** Where the mapping in use came from (see src/pipeline/labelMap.ts). */
export const MAPPING_BASES = ['oneToOne', 'manyToOne', 'edited'] as const;
export type MappingBasisTag = (typeof MAPPING_BASES)[number];

/** Largest number of clusters and of classes the section handles (the mapping has one entry per cluster). */
export const MAX_MAPPING_CLUSTERS = 1000;
export const MAX_CLASS_NAME = 10000;

/** What the section shows. */
export interface LabelMapView {
  /** Counts the label maps shown in this panel, from 1 (test hook `data-labelmap`). */
  seq: number;
  column: string;
  k: number;
  classes: string[];
  /** classes x k. */
  matrix: number[][];
  nRows: number;
  /** External metrics in words, in display order. */
  metrics: { key: string; name: string; value: number }[];
  oneToOne: (string | null)[];
  manyToOne: (string | null)[];
  /** The mapping in use, one entry per cluster (null: unmatched). */
  mapping: (string | null)[];
  basis: MappingBasisTag;
  accuracy: number;
  flattering: boolean;
  unmatchedClusters: number[];
  unmatchedClasses: string[];
  /** The caveat shown with the accuracy. */
  caveat: string;
  /** Plain sentences: k against the number of classes, missing classes, empty clusters. */
  notes: string[];
}

/** Host -> webview: show (or update) the section. */
export interface PanelLabelMap {
  type: 'panel/labelMap';
  view: LabelMapView;
}
/** Host -> webview: send the chart as a PNG (answered by webview/chartPng with the same id). */
export interface PanelChartRequest {
  type: 'panel/chartRequest';
  id: number;
}

/** Webview -> host: use this mapping (request; the reply is null, the new view follows as panel/labelMap). */
export interface WebviewSetMapping {
  type: 'webview/setMapping';
  id: number;
  mapping: (string | null)[];
  basis: MappingBasisTag;
}
/** Webview -> host: the panel's Export button. */
export interface WebviewExport {
  type: 'webview/export';
}
/** Webview -> host: the answer to panel/chartRequest (dataUrl null when no chart is drawn). */
export interface WebviewChartPng {
  type: 'webview/chartPng';
  id: number;
  dataUrl: string | null;
}

export type LabelsToHost = WebviewSetMapping | WebviewExport | WebviewChartPng;
export type LabelsToWebview = PanelLabelMap | PanelChartRequest;

const TYPES = new Set(['webview/setMapping', 'webview/export', 'webview/chartPng']);

/** Whether `type` is one of this module's webview messages. */
export function isLabelsMessageType(type: unknown): boolean {
  return typeof type === 'string' && TYPES.has(type);
}

function id(x: Record<string, unknown>, where: string): number {
  const v = x.id;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new ProtocolError(`${where}: id should be a whole number >= 0`);
  }
  return v;
}

/**
 * Checks a message of this module from the webview (shape only: whether each class exists
 * is checked by the host against its study, see checkMapping in src/pipeline/labelMap.ts).
 * @param maxPngChars largest data URL accepted for the chart
 * @throws ProtocolError naming the field and the rule.
 */
export function parseLabelsMessage(x: Record<string, unknown>, maxPngChars: number): LabelsToHost {
  const type = x.type;
  const where = `message ${JSON.stringify(type)}`;
  switch (type) {
    case 'webview/export':
      return { type };
    case 'webview/setMapping': {
      const mapping = x.mapping;
      if (!Array.isArray(mapping) || mapping.length === 0 || mapping.length > MAX_MAPPING_CLUSTERS) {
        throw new ProtocolError(`${where}: mapping should be a list of 1 to ${MAX_MAPPING_CLUSTERS} entries, one per cluster`);
      }
      mapping.forEach((entry, c) => {
        if (entry !== null && (typeof entry !== 'string' || entry.length > MAX_CLASS_NAME)) {
          throw new ProtocolError(`${where}: mapping[${c}] should be a class name or null (unmatched)`);
        }
      });
      const basis = x.basis;
      if (typeof basis !== 'string' || !(MAPPING_BASES as readonly string[]).includes(basis)) {
        throw new ProtocolError(`${where}: basis should be one of ${MAPPING_BASES.join(', ')}`);
      }
      return { type, id: id(x, where), mapping: [...(mapping as (string | null)[])], basis: basis as MappingBasisTag };
    }
    case 'webview/chartPng': {
      const dataUrl = x.dataUrl;
      if (dataUrl !== null && (typeof dataUrl !== 'string' || dataUrl.length > maxPngChars || !dataUrl.startsWith('data:image/png;base64,'))) {
        throw new ProtocolError(`${where}: dataUrl should be null or a data:image/png;base64, URL of at most ${maxPngChars} characters`);
      }
      return { type, id: id(x, where), dataUrl: dataUrl as string | null };
    }
    default:
      throw new ProtocolError(`unknown webview message type ${JSON.stringify(type)}`);
  }
}

/** Whether a host message is one of this module's (the webview's filter). */
export function isLabelsToWebview(x: unknown): x is LabelsToWebview {
  if (typeof x !== 'object' || x === null) return false;
  const type = (x as { type?: unknown }).type;
  return type === 'panel/labelMap' || type === 'panel/chartRequest';
}
