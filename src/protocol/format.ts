/** Number formatting for people (status bar, annotations, tables). Exact values live in data attributes. */

/**
 * `x` with `digits` significant digits, without trailing zeros; exponent form outside
 * [1e-3, 1e6). Non-finite or null values become an en dash.
 * formatNumber(0.41234) = "0.412", formatNumber(1234.5) = "1235", formatNumber(1e-5) = "1e-5".
 */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const ax = Math.abs(x);
  if (ax >= 1e-3 && ax < 1e6) {
    if (ax >= 10 ** digits) return String(Math.round(x));
    return String(Number(x.toPrecision(digits)));
  }
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${String(Number(mantissa))}e${Number(exponent)}`;
}

/**
 * A share in [0, 1] as a percentage with `digits` significant digits, never rounded to 100%
 * or 0% unless it is exactly that: 0.9982 -> "99.8", 0.99996 -> "99.996", 1 -> "100".
 */
export function formatPercent(share: number, digits = 3): string {
  if (!Number.isFinite(share)) return '–';
  const p = 100 * share;
  let d = digits;
  let s = formatNumber(p, d);
  while (d < 12 && ((share < 1 && Number(s) >= 100) || (share > 0 && Number(s) <= 0))) s = formatNumber(p, ++d);
  return s;
}

/** 1234567 -> "1,234,567" (grouping independent of the machine's locale, so tests are stable). */
export function formatCount(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** Bytes as "12.3 MB" (MB = 2^20 bytes, as the centroid.maxFileSizeMB setting counts them). */
export function formatMegabytes(bytes: number): string {
  const mb = bytes / 1048576;
  return `${mb >= 100 ? Math.round(mb) : Number(mb.toPrecision(3))} MB`;
}

/** Bytes for progress messages: "512 B", "3.6 KB", "12.3 MB", "1.2 GB" (powers of 1024). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${Number((bytes / 1024).toPrecision(3))} KB`;
  if (bytes < 1073741824) return formatMegabytes(bytes);
  return `${Number((bytes / 1073741824).toPrecision(3))} GB`;
}

/** "big.csv is 3000 MB, over the limit of 2048 MB set by the setting centroid.maxFileSizeMB". */
export function fileTooLargeMessage(name: string, bytes: number, maxBytes: number): string {
  return `${name} is ${formatMegabytes(bytes)}, over the limit of ${formatMegabytes(maxBytes)} set by the setting centroid.maxFileSizeMB`;
}
