export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** (max - min) / median: how far apart the rounds were, the honest error bar on a shared machine. */
export function spread(values) {
  const m = median(values);
  return values.length > 1 && m > 0 ? (Math.max(...values) - Math.min(...values)) / m : 0;
}
