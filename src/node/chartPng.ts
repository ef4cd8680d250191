/**
 * Where Save PNG suggests to put a chart, and the bytes it writes (Node only): next to the CSV
 * as `NAME.clusters.png`, numbered like the exports when that file exists, so that pressing
 * Enter in the save dialog never replaces an earlier chart. The controller writes the bytes
 * with writeFileAtomic (file: URIs) or workspace.fs (other schemes).
 */
import { uniquePath } from './files';

/** `folder/data.csv` → `folder/data.clusters.png` (the last extension replaced; none is fine). */
export function chartPngPath(csvPath: string): string {
  return csvPath.replace(/\.[^./\\]*$/, '') + '.clusters.png';
}

/**
 * The save dialog's suggestion for the chart of `csvPath`: {@link chartPngPath} when free,
 * else its numbered form from {@link uniquePath} (`data.clusters (2).png`, …).
 */
export function suggestedChartPath(csvPath: string): string {
  return uniquePath(chartPngPath(csvPath));
}

/**
 * The bytes of a `data:image/png;base64,…` URL (the webview's guard has checked its prefix).
 * @throws Error when the payload is not a PNG, so that nothing else is written under a .png name.
 */
export function pngBytes(dataUrl: string): Buffer {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47 || bytes.readUInt32BE(4) !== 0x0d0a1a0a) {
    throw new Error('the chart could not be encoded as a PNG image; try Save PNG again');
  }
  return bytes;
}
