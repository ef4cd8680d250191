/**
 * Reads Centroid's settings (the `centroid.*` configuration) into RunSettings and limits.
 * A bad value falls back to its default with a warning naming the setting, so a run always
 * has valid settings. Pure: the vscode layer passes a getter.
 */
import { DEFAULT_SETTINGS, MAX_K, MAX_N_INIT, type LabelChoice, type RunSettings, ALGORITHMS, INITS, METRICS, MISSING, SCALES } from '../protocol/messages';

/** Reads one setting by its key below `centroid.` (e.g. "defaultK"). */
export type ConfigGetter = (key: string) => unknown;

export interface Limits {
  /** Largest file read, in bytes (centroid.maxFileSizeMB). */
  maxBytes: number;
  /** Rows sent to the chart (centroid.plot.maxPoints). */
  maxPoints: number;
}

export const DEFAULT_MAX_FILE_MB = 2048;
export const DEFAULT_MAX_POINTS = 5000;

/** The settings a run starts from when the panel's form has not been used for a file. */
export function settingsFromConfig(get: ConfigGetter): { settings: RunSettings; warnings: string[] } {
  const warnings: string[] = [];
  const bad = (key: string, value: unknown, rule: string): void => {
    warnings.push(`centroid.${key}=${JSON.stringify(value)} should be ${rule}; using the default`);
  };
  const intIn = (key: string, fallback: number, min: number, max: number): number => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      bad(key, v, `a whole number from ${min} to ${max}`);
      return fallback;
    }
    return v;
  };
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      bad(key, v, `one of ${allowed.join(', ')}`);
      return fallback;
    }
    return v as T;
  };
  let nInit: RunSettings['nInit'] = DEFAULT_SETTINGS.nInit;
  const rawNInit = get('nInit');
  if (rawNInit === 'auto') nInit = 'auto';
  else if (rawNInit !== undefined && rawNInit !== null) {
    const asNumber = typeof rawNInit === 'string' && /^\d+$/.test(rawNInit.trim()) ? Number(rawNInit) : rawNInit;
    if (typeof asNumber === 'number' && Number.isInteger(asNumber) && asNumber >= 1 && asNumber <= MAX_N_INIT) nInit = asNumber;
    else bad('nInit', rawNInit, `"auto" or a whole number from 1 to ${MAX_N_INIT}`);
  }
  let label: LabelChoice = { mode: 'auto' };
  const rawLabel = get('labelColumn');
  if (typeof rawLabel === 'string' && rawLabel.trim() !== '' && rawLabel !== 'auto') {
    label = rawLabel === 'none' ? { mode: 'none' } : { mode: 'column', name: rawLabel };
  } else if (rawLabel !== undefined && rawLabel !== null && typeof rawLabel !== 'string') {
    bad('labelColumn', rawLabel, '"auto", "none" or a column name');
  }
  const settings: RunSettings = {
    ...DEFAULT_SETTINGS,
    k: intIn('defaultK', DEFAULT_SETTINGS.k, 1, MAX_K),
    scale: pick('scale', SCALES, DEFAULT_SETTINGS.scale),
    seed: intIn('seed', DEFAULT_SETTINGS.seed, 0, 4294967295),
    init: pick('init', INITS, DEFAULT_SETTINGS.init),
    nInit,
    algorithm: pick('algorithm', ALGORITHMS, DEFAULT_SETTINGS.algorithm),
    metric: pick('metric', METRICS, DEFAULT_SETTINGS.metric),
    missing: pick('missing', MISSING, DEFAULT_SETTINGS.missing),
    label,
  };
  return { settings, warnings };
}

/** File size and plot limits from the settings (bad values fall back to the defaults). */
export function limitsFromConfig(get: ConfigGetter): Limits {
  const mb = get('maxFileSizeMB');
  const points = get('plot.maxPoints');
  const maxMb = typeof mb === 'number' && Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_FILE_MB;
  const maxPoints = typeof points === 'number' && Number.isInteger(points) && points >= 100 && points <= 200000 ? points : DEFAULT_MAX_POINTS;
  return { maxBytes: Math.floor(maxMb * 1048576), maxPoints };
}
