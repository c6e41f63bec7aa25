/**
 * Post-processing of released noisy counts (free under DP): the total a column is projected onto
 * ({@link pooledTotal}), the projection itself ({@link projectCounts}), and the support filter that drops noise far
 * from the data ({@link dropFarNoise}, {@link keepSupport}). Used by the one-way release (marginals.ts) and dp-vae's pair targets.
 */

/**
 * Project clamped noisy counts onto non-negative counts that sum to `total` (the DP row count) by subtracting
 * one common amount theta >= 0 and clamping at 0 ("norm-sub", Wang et al. 2020, "Locally Differentially
 * Private Frequency Estimation with Consistency"): the noise that clamping turned into mass in empty bins is
 * removed instead of being read as data. Counts that already sum to at most `total` are returned unchanged.
 * Post-processing: free.
 */
export function projectCounts(counts: readonly number[], total: number): number[] {
  const c = counts.map((x) => Math.max(0, x));
  const sum = c.reduce((a, b) => a + b, 0);
  if (!(sum > total) || !(total > 0)) return c;
  // sum over bins of max(0, c - theta) is decreasing in theta: bisect
  let lo = 0;
  let hi = Math.max(...c);
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    let s = 0;
    for (const x of c) if (x > mid) s += x - mid;
    if (s > total) lo = mid;
    else hi = mid;
  }
  return c.map((x) => Math.max(0, x - hi));
}

/**
 * The support filter's evidence in noise std (as the DP preprocessing histograms' floor: at 2 std one empty bin in
 * 44 passes). dp-vae at epsilon 1, seeds 1-6, before this filter and the pooled totals -> after both: 1-KS german
 * 0.868 -> 0.879, breast cancer 0.649 -> 0.683, pima 0.815 -> 0.838; contingency pima 0.638 -> 0.664, breast
 * 0.401 -> 0.426 (benchmarks/RESULTS.md, 2026-12-06 08:30 UTC).
 */
export const SUPPORT_EVIDENCE_STD = 3;
/**
 * The filter applies where the noise's positive part summed over the bins (E max(0, N(0, s)) = 0.4 s a bin)
 * exceeds this share of the rows: pima at epsilon 1, 0.4 x 23 x 26 bins = 39% of 614 rows; UCI Adult, 0.4 x 49
 * x 64 = 5% of 26,048 (there it cut capital-gain's thin tail: 1-KS 0.976 -> 0.973, contingency 0.930 -> 0.928).
 */
const SUPPORT_NOISE_SHARE = 0.1;
/** E max(0, Z) for Z ~ N(0, 1): the mean positive part of a noise draw, in noise std. */
const POSITIVE_NOISE_MEAN = 1 / Math.sqrt(2 * Math.PI);

/** Windows (bins) over which a spread-out part of a column may stand out where none of its single bins does. */
const SUPPORT_WINDOWS = [3, 9, 27];

/**
 * A numeric column's noisy bin counts (noise std `std`, DP row count `rows`) with the noise far from the data
 * removed ({@link keepSupport} at SUPPORT_EVIDENCE_STD), where that noise would be a sizeable share of the rows (a
 * small table; not Adult, whose thin tails it would cut). Post-processing.
 */
export function dropFarNoise(counts: readonly number[], std: number, rows: number): number[] {
  return POSITIVE_NOISE_MEAN * std * counts.length > SUPPORT_NOISE_SHARE * rows ? keepSupport(counts, SUPPORT_EVIDENCE_STD * std) : counts.slice();
}

/**
 * Noisy bin counts with the bins far from anything that stands out of the noise set to 0. A bin is support when
 * a window of 1, 3, 9 or 27 bins centred on it sums to over `evidence` x sqrt(its width) (a matched filter: a
 * spike stands out alone, a spread-out part of the column, each bin of it under the noise, over a wide window),
 * the wider windows counting only bins away from the single bins that stand out (so a window does not stand out
 * on a spike's mass), and the central third of such a window too; support and its neighbours are kept. When
 * the support holds under half of the positive noisy mass (nothing tells the data from the noise), all bins are
 * kept. Post-processing: noise in the empty stretches of a wide DP range would otherwise become mass far from the
 * data (pima's BMI at epsilon 1: DP range 8-256 for values 18-67, 13% of the projected counts above 80). Judging
 * bins one by one cut spread-out mass too: pima's Insulin (49% zeros, the rest over 14-846) came out 67% zeros
 * (real 49%; `benchmarks/smallTables.mjs`).
 */
export function keepSupport(counts: readonly number[], evidence: number): number[] {
  const n = counts.length;
  const strong = counts.map((c) => c > evidence);
  const near = (i: number): boolean => Boolean(strong[i] || strong[i - 1] || strong[i + 1]);
  // wider windows count only bins away from those spikes (a window next to a spike would stand out on its mass)
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + (near(i) ? 0 : counts[i]!);
  const mark: number[] = [];
  for (const w of SUPPORT_WINDOWS) {
    const h = (w - 1) / 2;
    const core = Math.floor(w / 6);
    for (let i = 0; i < n; i++) {
      const lo = Math.max(0, i - h);
      const hi = Math.min(n, i + h + 1);
      if (prefix[hi]! - prefix[lo]! > evidence * Math.sqrt(hi - lo)) for (let j = Math.max(0, i - core); j <= Math.min(n - 1, i + core); j++) mark.push(j);
    }
  }
  for (const j of mark) strong[j] = true;
  // what stands out must hold most of the positive mass, or it cannot be told from the noise
  let support = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    const c = Math.max(0, counts[i]!);
    positive += c;
    if (near(i)) support += c;
  }
  if (!(support >= SUPPORT_MIN_SHARE * positive)) return counts.slice();
  return counts.map((c, i) => (near(i) ? c : 0));
}

/** keepSupport applies only where the support holds at least this share of the positive noisy mass. */
const SUPPORT_MIN_SHARE = 0.5;

/**
 * The total a column's noisy counts are projected onto: the DP row count `rows` (noise std `rowsStd`) pooled with
 * the column's own total, the sum of its B noisy counts (noise std sqrt(B) `std`), by inverse variance.
 * Post-processing of releases. On a small table the row count is the noisier of the two (heart-cleveland at
 * epsilon 1: std 49 on 242 rows against 28 for a two-valued column), and projecting a two-valued column onto it
 * alone took the row count's error out of both values equally: exang's 79 rows of "1" came out as 12 (seed 5).
 * Without `rowsStd`, `rows`.
 */
export function pooledTotal(counts: readonly number[], std: number, rows: number, rowsStd?: number): number {
  if (rowsStd === undefined || !(rowsStd > 0) || !(std > 0)) return rows;
  const own = counts.reduce((a, c) => a + c, 0);
  const wRows = 1 / (rowsStd * rowsStd);
  const wOwn = 1 / (counts.length * std * std);
  return Math.max(0, (wRows * rows + wOwn * own) / (wRows + wOwn));
}
