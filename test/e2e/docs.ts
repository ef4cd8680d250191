/**
 * What the end-to-end specs share: the options of a run with fresh settings (from the
 * manifest), and publishing screenshots to docs/images for the README.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FitOptions } from '../../src/pipeline/types';
import { settingsFromConfig } from '../../src/extension/config';
import { fitOptions } from '../../src/worker/job';
import { ROOT } from './harness';

const DOCS_IMAGES = path.join(ROOT, 'docs/images');

interface Manifest {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
}

/**
 * The options of a run with fresh settings: the defaults the manifest declares, turned into
 * FitOptions as the worker turns them (column roles and scaling decided by the rules, the
 * starts). `label`: a column name, or '' for the label the column rules pick.
 */
export function defaultOptions(label: string): FitOptions {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
  const d = (key: string): unknown => manifest.contributes.configuration.properties[`centroid.${key}`]?.default;
  return fitOptions(settingsFromConfig(d).settings, label === '' ? undefined : label);
}

/**
 * Copies a screenshot to docs/images (the README's pictures) when CENTROID_DOCS_IMAGES=1 or
 * when the picture is not there yet, so that ordinary test runs leave the work tree clean.
 */
export function publish(file: string, name: string): void {
  const target = path.join(DOCS_IMAGES, name);
  if (process.env.CENTROID_DOCS_IMAGES !== '1' && fs.existsSync(target)) return;
  fs.mkdirSync(DOCS_IMAGES, { recursive: true });
  fs.copyFileSync(file, target);
}
