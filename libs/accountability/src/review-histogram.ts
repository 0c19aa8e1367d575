/**
 * Review durations kept as counts in fixed bins, so the counts of two days (or two sites, or two
 * roles) merge by adding them, and p50 / p90 and the share below a minimum are read from the merged
 * counts without the durations themselves. The bin edges are part of the projection's stored
 * format: changing them needs a rebuild.
 */

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v < to; v += step) out.push(v);
  return out;
}

/**
 * Lower edges of the bins, in seconds, ascending: every second below 3 minutes, every 10 s up to
 * 20 minutes, every minute up to an hour, then one bin for an hour or more. Bin i holds durations
 * d with `REVIEW_BIN_EDGES[i] <= d < REVIEW_BIN_EDGES[i + 1]`.
 */
export const REVIEW_BIN_EDGES: readonly number[] = Object.freeze([
  ...range(0, 180, 1),
  ...range(180, 1200, 10),
  ...range(1200, 3600, 60),
  3600,
]);

export const REVIEW_BINS = REVIEW_BIN_EDGES.length;

/** Counts per bin; always REVIEW_BINS long. */
export type ReviewHistogram = number[];

export function emptyHistogram(): ReviewHistogram {
  return new Array<number>(REVIEW_BINS).fill(0);
}

/** The bin of a duration in whole seconds (MUST be 0 or more). */
export function reviewBin(seconds: number): number {
  if (seconds < 180) return Math.max(0, Math.floor(seconds));
  if (seconds < 1200) return 180 + Math.floor((seconds - 180) / 10);
  if (seconds < 3600) return 282 + Math.floor((seconds - 1200) / 60);
  return REVIEW_BINS - 1;
}

/** Adds `from` into `into` (both REVIEW_BINS long); returns `into`. */
export function addHistogram(into: ReviewHistogram, from: readonly number[]): ReviewHistogram {
  for (let i = 0; i < REVIEW_BINS; i++) into[i]! += from[i] ?? 0;
  return into;
}

export function histogramCount(h: readonly number[]): number {
  let n = 0;
  for (const c of h) n += c;
  return n;
}

/**
 * The nearest-rank percentile `p` (0 < p <= 1): the lower edge of the bin holding the
 * ceil(p × n)-th smallest duration; null when empty. Exact for durations below 180 s (one bin per
 * second); above, it is the lower edge of a 10 s, 60 s or open-ended bin.
 */
export function histogramPercentile(h: readonly number[], p: number): number | null {
  const n = histogramCount(h);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i]!;
    if (seen >= rank) return REVIEW_BIN_EDGES[i]!;
  }
  return REVIEW_BIN_EDGES[REVIEW_BINS - 1]!;
}

/** Whether `seconds` is a bin edge, so that countBelow is exact for it. */
export function isBinEdge(seconds: number): boolean {
  return REVIEW_BIN_EDGES[reviewBin(seconds)] === seconds;
}

/**
 * Durations certainly shorter than `minimum` seconds: the counts of bins whose upper edge is at or
 * below it. Exact when the minimum is a bin edge (every whole second up to 180 s, multiples of 10
 * up to 1200 s, of 60 up to 3600 s); otherwise durations in the minimum's own bin are not counted.
 */
export function countBelow(h: readonly number[], minimum: number): number {
  // Bins below the minimum's own bin end at or below its lower edge, so at or below the minimum.
  const bin = reviewBin(minimum);
  let n = 0;
  for (let i = 0; i < bin; i++) n += h[i]!;
  return n;
}
