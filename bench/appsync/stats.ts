/** Nearest-rank percentile of already-sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function sortedCopy(samples: number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

export function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
