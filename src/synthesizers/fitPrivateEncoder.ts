/**
 * DP preprocessing: fit every column transformer without reading the private table except through
 * Gaussian mechanisms whose cost is recorded in the ledger.
 *
 * What each column costs (zCDP rho, all from `preprocessingRho`, split into the weighted units of
 * {@link UNITS}; a numeric column without public bounds needs its range and its histogram, 1.5 units each):
 *   - row count (for the sampling rate q, the noise normalisation and the bin counts below): 1 unit;
 *   - numeric / integer / datetime: bounds 1.5 units (free when `public: true` with min and max) from a
 *     noisy octave histogram that always yields a usable range (privateBounds), then a noisy histogram
 *     over the bounds (1.5 units, 2 with public bounds) to which the mode mixture is fitted, and whose
 *     missing bin decides nullability. Its bin count follows the expected signal-to-noise: about
 *     noisyRows / (1.5 std) bins (8 to 128), so a small table gets a coarse histogram, not a noisy one. An
 *     integer column in bins of 2 to 64 values keeps a quarter of that for heaped values where the rows allow
 *     (heapedValues: the integers of the bins where the histogram spikes, counted with noise; spent only where it
 *     spikes);
 *   - a boolean whose two spellings are a fixed pair (0/1, yes/no, ...): structure, so no threshold; a noisy
 *     count of the pair and the missing values (1.5 units) decides nullability;
 *   - categorical / boolean: free with `public: true` categories; otherwise a stability-based noisy
 *     histogram (1.5 units, plus an additive delta from `thresholdDelta`) that releases only categories
 *     whose noisy count clears a threshold, so a category held by one row is (w.h.p.) not revealed.
 *     Rows holding unreleased categories train an "(other)" slot when the released noisy counts show
 *     clearly uncovered mass, else they map to the noisy most frequent category. With `categoryMarginalRho`
 *     (dp-vae: its calibration part for the column) that release gets the extra rho and its counts, laid out
 *     as the model encodes the column, are also the column's one-way marginal (`categoryMarginals`): the
 *     caller does not measure it again, so one release does both jobs with less noise and a lower threshold.
 * Column names and types are treated as public structure (as in every DP synthesizer), and so is how a
 * column is written (its numberFormat, dateFormat, and a missingMarker from the schema's declared
 * missingValues; a marker that is a junk spelling read from the data is dropped); every value
 * derived from the data (categories, bounds, decimals, missing rates) is dropped from the schema that
 * goes into the model unless the user declared it public.
 */
import { PrivacyError } from '../errors.js';
import { gaussianStdForRho } from '../privacy/analysis/zcdp.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Cell, Table } from '../table/Table.js';
import type { Rng } from '../rng.js';
import type { PrivacyLedger } from '../privacy/PrivacyLedger.js';
import { noisyCount } from '../privacy/mechanisms/noisyCount.js';
import { noisyHistogram } from '../privacy/mechanisms/noisyHistogram.js';
import { noisyPointCounts } from '../privacy/mechanisms/noisyPointCounts.js';
import { privateBounds } from '../privacy/mechanisms/privateBounds.js';
import { noisyCategoryCounts, noisyPublicCategoryCounts } from '../privacy/mechanisms/noisyCategoryCounts.js';
import { BOOL_PAIRS } from '../metadata/inferMetadata.js';
import { transformerFor } from '../transformers/registry.js';
import { POINT_MASS_MIN_SHARE } from '../transformers/ClusterBasedNormalizer.js';
import { TableEncoder, encodedColumns } from '../transformers/TableEncoder.js';
import type { BaseTransformer } from '../transformers/BaseTransformer.js';
import * as msg from '../messages.js';

export const OTHER_LABEL = '(other)';

export interface PrivateEncoderOptions {
  preprocessingRho: number;
  /** Delta available to all thresholded category histograms together. */
  thresholdDelta: number;
  ledger: PrivacyLedger;
  rng: Rng;
  /** At most this many bins in the numeric histograms the mode mixture is fitted to (default 128). */
  histogramBins?: number;
  /** At most this many modes per numeric column (default 10, TVAE's). */
  maxModes?: number;
  /**
   * Search integer columns for heaped values (heapedValues; default true). Where the histogram shows none, the rho
   * kept for the search is not spent: a caller that spends a fixed budget (MST) passes false.
   */
  heaping?: boolean;
  /**
   * A DP row count the caller has already released and ledgered: no count is released here, and
   * `preprocessingRho` is split over the other units only.
   */
  noisyRows?: number;
  /**
   * Extra rho for the release of every categorical column without public categories, whose noisy counts then
   * also serve as the column's one-way marginal ({@link PrivateEncoderResult.categoryMarginals}): one release
   * instead of two, so its threshold is lower (more categories clear it) and its counts less noisy. The caller
   * passes what it would have spent measuring that marginal, and does not measure it again.
   */
  categoryMarginalRho?: number;
  /** Columns whose category release gets this rho instead of `categoryMarginalRho` (dp-vae: a prediction target's larger part). */
  categoryMarginalRhoOf?: ReadonlyMap<string, number>;
  /** Called with a message for each column the release at this budget cannot serve well (a guessed range, one category). */
  onWarning?: (message: string) => void;
}

/** A categorical column's released counts in the layout the model encodes: by category, OTHER_LABEL, null (missing). */
export interface CategoryMarginal {
  counts: Map<string | null, number>;
  /** Noise std of each released count. */
  std: number;
}

export interface PrivateEncoderResult {
  encoder: TableEncoder;
  /** The DP row count (never the exact one). */
  noisyRows: number;
  /** Column specs as stored in the model: only public or DP-released values. */
  columns: ColumnSpec[];
  /** The typed table with numeric values clipped to the DP bounds, for encoding. */
  clipped: Table;
  /** With `categoryMarginalRho`: each categorical column's counts (post-processing of its release), by column name. */
  categoryMarginals: Map<string, CategoryMarginal>;
}

const isNumeric = (c: ColumnSpec): boolean => c.type === 'numeric' || c.type === 'integer' || c.type === 'datetime';
const hasPublicBounds = (c: ColumnSpec): boolean => Boolean(c.public) && c.min !== undefined && c.max !== undefined;
const hasPublicCategories = (c: ColumnSpec): boolean => Boolean(c.public) && Array.isArray(c.categories) && c.categories.length > 0;
/**
 * A boolean column's two spellings, when they are one of the fixed pairs a boolean type is inferred from
 * (BOOL_PAIRS: 0/1, true/false, yes/no, ...): part of the type, which is public structure like every
 * column's type, so they need no thresholded release (one threshold would lose both values of a boolean
 * on a 300-row table at epsilon 1). Its missing rate is still measured with noise.
 */
export function structuralCategories(c: ColumnSpec): string[] | null {
  if (c.type !== 'boolean' || !Array.isArray(c.categories) || c.categories.length !== 2) return null;
  const key = c.categories.map((x) => x.toLowerCase()).sort().join('\u0000');
  return BOOL_PAIRS.some((p) => [...p].sort().join('\u0000') === key) ? [...c.categories] : null;
}

/**
 * A date column's range when its DP bounds are noise (privateBounds' fallback): 1900-01-01 to 2100-01-01 (epoch
 * ms), data-independent. Declare public min/max in the schema for other ranges.
 */
export const DEFAULT_DATE_RANGE = { lo: Date.UTC(1900, 0, 1), hi: Date.UTC(2100, 0, 1) } as const;

/** Budget units (weights of the preprocessing rho) of each release. */
export const UNITS = { count: 1, bounds: 1.5, histogram: 1.5, histogramPublicBounds: 2, categories: 1.5 } as const;

/** A categorical column whose categories are released by a thresholded histogram: neither declared public nor a boolean's fixed spellings. */
export function thresholdedCategories(c: ColumnSpec): boolean {
  return !isNumeric(c) && !hasPublicCategories(c) && !structuralCategories(c);
}

/** Units of budget each column needs; exported so the split is visible and testable. */
export function preprocessingUnits(columns: readonly ColumnSpec[]): { units: number; thresholded: number } {
  let units: number = UNITS.count;
  let thresholded = 0;
  for (const c of columns) {
    if (isNumeric(c)) units += hasPublicBounds(c) ? UNITS.histogramPublicBounds : UNITS.bounds + UNITS.histogram;
    else if (!hasPublicCategories(c)) {
      units += UNITS.categories;
      if (thresholdedCategories(c)) thresholded++;
    }
  }
  return { units, thresholded };
}

/**
 * The default share of the budget (as zCDP rho) for DP preprocessing: `base` (0.1), plus 0.02 for every
 * numeric column beyond 6 whose bounds must be estimated, at most 0.35. Each such column needs its range
 * located by a noisy histogram whose noise must stay well below the rows of the column's densest octave: on
 * breast cancer (569 rows, 30 numeric columns) 0.1 left a noise std of ~150 rows a bin, and no range could
 * be told from noise; 0.35 gives ~60; heart-cleveland (303 rows, 11 such columns) gets 0.2. Tables with few
 * such columns (Adult: 6, the CPS demo: none) keep 0.1. A function of the schema only (public structure),
 * so choosing it costs nothing.
 */
export function preprocessingShareFor(columns: readonly ColumnSpec[], base = 0.1): number {
  const k = encodedColumns(columns).filter((c) => isNumeric(c) && !hasPublicBounds(c)).length;
  return Math.min(0.35, base + 0.02 * Math.max(0, k - 6));
}

/**
 * Bins of a noisy histogram over `rows` rows with noise std `std`: about rows / (1.5 std), within
 * [8, maxBins]. A bin holding its share of a spread-out column then stands about 1.5 std out of the noise
 * (a denser one more), where 128 bins over 400 rows would be noise almost everywhere. Post-processing of
 * the DP row count: free.
 */
export function histogramBinsFor(rows: number, std: number, maxBins = 128): number {
  return Math.max(8, Math.min(maxBins, Math.floor(rows / (1.5 * std))));
}

export function fitPrivateEncoder(table: Table, modelled: readonly ColumnSpec[], opts: PrivateEncoderOptions): PrivateEncoderResult {
  const { ledger, rng } = opts;
  const columns = encodedColumns(modelled);
  const { units, thresholded } = preprocessingUnits(columns);
  const unit = opts.preprocessingRho / (opts.noisyRows !== undefined ? Math.max(Number.MIN_VALUE, units - UNITS.count) : units);
  if (!(unit > 0)) throw new PrivacyError(msg.PREPROCESSING_NEEDS_SHARE, { hint: msg.HINT_PREPROCESSING_SHARE_ABOVE_ZERO });
  const deltaEach = thresholded > 0 ? opts.thresholdDelta / thresholded : 0;
  if (thresholded > 0 && !(deltaEach > 0)) throw new PrivacyError(msg.THRESHOLDED_NEEDS_DELTA, { hint: msg.HINT_DECLARE_PUBLIC_CATEGORIES });
  const maxBins = opts.histogramBins ?? 128;
  const extraAll = opts.categoryMarginalRho ?? 0;
  if (!(extraAll >= 0)) throw new RangeError(`categoryMarginalRho must be >= 0, got ${extraAll}`);
  for (const [name, r] of opts.categoryMarginalRhoOf ?? []) if (!(r >= 0)) throw new RangeError(`categoryMarginalRhoOf for "${name}" must be >= 0, got ${r}`);
  const categoryMarginals = new Map<string, CategoryMarginal>();

  let noisyRows: number;
  if (opts.noisyRows !== undefined) noisyRows = Math.max(1, opts.noisyRows);
  else {
    const count = noisyCount(table.rowCount, { rho: UNITS.count * unit, label: 'count:rows' }, rng.fork('count'));
    ledger.add(count.spend);
    noisyRows = Math.max(1, count.count);
  }

  const transformers: BaseTransformer[] = [];
  const stored: ColumnSpec[] = [];
  const names = [...table.names];
  const cols: Cell[][] = [...table.columns];
  for (const spec of columns) {
    const j = table.names.indexOf(spec.name);
    const values = table.columns[j]!;
    const crng = rng.fork(`column:${spec.name}`);
    const extra = opts.categoryMarginalRhoOf?.get(spec.name) ?? extraAll;
    if (isNumeric(spec)) {
      let lo: number;
      let hi: number;
      const publicBounds = hasPublicBounds(spec);
      if (publicBounds) {
        lo = toNumber(spec.min!);
        hi = toNumber(spec.max!);
      } else {
        // always a usable range (the noisiest-largest octave at worst), never a refusal
        const b = privateBounds(values as (number | null)[], { rho: UNITS.bounds * unit, label: `bounds:${spec.name}`, integer: spec.type === 'integer' }, crng.fork('bounds'));
        ledger.add(b.spend);
        lo = b.bounds.lo;
        hi = b.bounds.hi;
        if (b.fallback && spec.type === 'datetime') {
          // nothing stood out of the noise, and a run of octaves picked by noise is no range for dates (on the
          // 103-row heart-transplant table at epsilon 1: year -33709 to -2490, or one instant of 1970): the
          // public default range of dates in records instead (post-processing: free)
          lo = DEFAULT_DATE_RANGE.lo;
          hi = DEFAULT_DATE_RANGE.hi;
          opts.onWarning?.(msg.dateRangeDefault(spec.name, new Date(lo).toISOString().slice(0, 10), new Date(hi).toISOString().slice(0, 10)));
        } else if (b.fallback) opts.onWarning?.(msg.rangeGuessed(spec.name, String(lo), String(hi)));
        if (spec.type === 'integer') {
          lo = Math.floor(lo);
          hi = Math.ceil(hi);
        }
      }
      const histRho = (publicBounds ? UNITS.histogramPublicBounds : UNITS.histogram) * unit;
      const bins = histogramBinsFor(noisyRows, gaussianStdForRho(1, histRho), maxBins);
      const edges = histogramEdges(lo, hi, spec.type === 'integer', bins);
      // an integer column in bins of several values keeps HEAPING_SHARE of its histogram's rho to locate heaped
      // values inside the bins where the histogram spikes (spent only where it does: else DP-SGD gets it), where
      // that search could find a value holding a tenth of the rows (its 4 std threshold under noisyRows / 10): on
      // german credit (800 rows at epsilon 1) it found nothing, and the coarser histogram cost duration's 1-KS
      // 0.817 -> 0.737
      const heapable = opts.heaping !== false && spec.type === 'integer' && innerWidth(edges) > 1 && innerWidth(edges) <= HEAPING_MAX_WIDTH;
      const heapRho = heapable && 4 * gaussianStdForRho(1, HEAPING_SHARE * histRho) <= HEAPING_MIN_FOUND * noisyRows ? HEAPING_SHARE * histRho : 0;
      const h = noisyHistogram(values as (number | null)[], edges, { rho: histRho - heapRho, label: `histogram:${spec.name}` }, crng.fork('histogram'));
      ledger.add(h.spend);
      const points = new Float64Array(h.counts.length);
      const weights = new Float64Array(h.counts.length);
      // Bins whose noisy count is within 3 noise std of zero are treated as empty (post-processing), so
      // noise in empty regions does not grow spurious modes (at 2 std, about 2% of empty bins passed: on
      // the 400-row messy lab table at epsilon 10 a noise bin at 30% grew a mode that put 2.6% of the
      // synthetic HbA1c values near 30%, real 4-10%); fall back to the raw counts if nothing is left.
      const floor = 3 * h.std;
      let kept = 0;
      for (let k = 0; k < h.counts.length; k++) {
        points[k] = binPoint(edges, k, spec.type === 'integer');
        weights[k] = h.counts[k]! > floor ? h.counts[k]! : 0;
        kept += weights[k]!;
      }
      if (!(kept > 0)) for (let k = 0; k < h.counts.length; k++) weights[k] = h.counts[k]!;
      // Too few bins stood out of the noise to show the column's shape (a small table): a background of 10%
      // of the mass spread evenly over the range, so the mixture gets a wide mode and the model can reach
      // every part of the range, and modes at least half a bin wide (a mode fitted to one noisy bin would
      // decode every value to one point); calibration then moves the mass where the noisy marginal puts it.
      // The minimum width also applies to any coarse histogram (under 32 bins: a small table), where a bin
      // centre is not a value of the data; not to one bin per integer value, nor to fine histograms (Adult),
      // so exact point masses such as 40 hours a week stay exact.
      let standing = 0;
      for (let k = 0; k < h.counts.length; k++) if (h.counts[k]! > floor) standing++;
      if (standing < 3) {
        let mass = 0;
        for (let k = 0; k < weights.length; k++) mass += Math.max(0, weights[k]!);
        for (let k = 0; k < weights.length; k++) weights[k]! += (0.1 * mass) / weights.length;
      }
      // the bounds' own mass, before the clipped tails join it: only that can be a point mass (fitFromSummary)
      const boundMass = { min: weights[0]!, max: weights[weights.length - 1]! };
      const pointMasses = heapRho > 0 ? heapedValues(values as (number | null)[], edges, h.counts, h.std, weights, { rho: heapRho, label: `heaping:${spec.name}` }, ledger, crng.fork('heaping')) : [];
      // the outside bins hold the clipped tails: they sit at the bounds after clipping (only when they stand
      // out of the noise: a clamped noisy zero would grow a mode at a bound that holds nothing)
      if (h.below > floor) weights[0]! += h.below;
      if (h.above > floor) weights[weights.length - 1]! += h.above;
      // nullable when the noisy missing count stands clearly out of the noise (post-processing)
      const nullable = spec.public ? spec.nullable : h.missing > 4 * h.std;
      const dpSpec: ColumnSpec = sanitize(spec, { nullable, min: fromNumber(spec, lo), max: fromNumber(spec, hi) });
      const t = transformerFor(dpSpec, opts.maxModes !== undefined ? { numeric: { maxClusters: opts.maxModes } } : {})!;
      (t as BaseTransformer & { fitFromSummary: (s: unknown, spec: ColumnSpec, rng: Rng) => unknown }).fitFromSummary({ points, weights, min: lo, max: hi, boundMass, pointMasses, ...((standing < 3 || edges.length < 33) && !(spec.type === 'integer' && innerWidth(edges) <= 1) ? { resolution: innerWidth(edges) } : {}) }, dpSpec, crng.fork('fit'));
      transformers.push(t);
      stored.push(dpSpec);
      // clip the training values to the DP bounds (and drop nulls if the column is modelled as not nullable)
      const clippedCol: Cell[] = new Array(values.length);
      const fill = Math.min(hi, Math.max(lo, (lo + hi) / 2));
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number | null;
        clippedCol[i] = v === null ? (nullable ? null : fill) : Math.min(hi, Math.max(lo, v));
      }
      cols[j] = clippedCol;
    } else {
      let categories: string[];
      let nullable: boolean;
      let needOther: boolean;
      let fallback: string | undefined;
      const structural = hasPublicCategories(spec) ? null : structuralCategories(spec);
      if (hasPublicCategories(spec)) {
        categories = [...spec.categories!];
        nullable = spec.nullable;
        needOther = false; // values outside declared categories are an input error, reported by the encoder
      } else if (structural) {
        // the spellings are structure; only whether values are missing is measured (no threshold, no delta)
        const r = noisyPublicCategoryCounts(values as (string | null)[], structural, { rho: UNITS.categories * unit + extra, label: `categories:${spec.name}` }, crng.fork('categories'));
        ledger.add(r.spend);
        categories = structural;
        nullable = r.missing > 4 * r.std;
        needOther = false;
        fallback = [...r.counts].sort((a, b) => b.count - a.count)[0]?.category;
        if (extra > 0) categoryMarginals.set(spec.name, layoutCounts(r.counts, r.other + (nullable ? 0 : r.missing), nullable ? r.missing : 0, nullable, false, fallback, r.std));
      } else {
        const r = noisyCategoryCounts(values as (string | null)[], { rho: UNITS.categories * unit + extra, deltaShare: deltaEach, label: `categories:${spec.name}` }, crng.fork('categories'));
        ledger.add(r.spend);
        categories = r.categories.map((c) => c.category);
        nullable = r.missing > r.threshold;
        // Post-processing of released values only: is there clearly mass outside the released categories?
        const covered = r.categories.reduce((a, c) => a + c.count, 0) + r.missing;
        const uncovered = noisyRows - covered;
        needOther = uncovered > Math.max(4 * r.std * Math.sqrt(r.categories.length + 2), 0.005 * noisyRows);
        fallback = [...r.categories].sort((a, b) => b.count - a.count)[0]?.category;
        if (!categories.length && !nullable) needOther = true;
        // rows of unreleased categories (and nulls of a non-nullable column) land where the mapping below puts them
        if (extra > 0) categoryMarginals.set(spec.name, layoutCounts(r.categories, Math.max(0, uncovered) + (nullable ? 0 : r.missing), nullable ? r.missing : 0, nullable, needOther, fallback, r.std));
      }
      if (!hasPublicCategories(spec) && categories.length + (needOther ? 1 : 0) + (nullable ? 1 : 0) < 2) opts.onWarning?.(msg.categoriesCollapsed(spec.name, categories.length ? `"${categories[0]}"` : needOther ? `"${OTHER_LABEL}"` : 'missing values'));
      const dpSpec = sanitize(spec, { nullable, categories: needOther ? [...categories, OTHER_LABEL] : categories });
      const t = transformerFor(dpSpec, needOther ? { categorical: { unknown: 'other', otherLabel: OTHER_LABEL } } : {})!;
      (t as BaseTransformer & { fitFromSummary: (s: unknown, spec: ColumnSpec) => unknown }).fitFromSummary({ categories }, dpSpec);
      transformers.push(t);
      stored.push(dpSpec);
      if (!hasPublicCategories(spec)) {
        // Rows whose value was not released (and nulls of a non-nullable column) train the "(other)"
        // slot when there is one, else the noisy most frequent category: a fixed per-row mapping, so
        // DP-SGD's guarantee for each row is unaffected.
        const released = new Set(categories);
        const sub = needOther ? OTHER_LABEL : fallback ?? null;
        cols[j] = values.map((v) => (v === null ? (nullable ? null : sub) : released.has(v as string) ? v : sub));
      }
    }
  }
  return { encoder: TableEncoder.fromTransformers(transformers), noisyRows, columns: stored, clipped: { names, columns: cols, rowCount: table.rowCount, source: table.source }, categoryMarginals };
}

/**
 * A categorical release's counts as the model sees the column (post-processing): released categories; the mass
 * outside them (`unlisted`: the uncovered rows, plus nulls when the column is not nullable) in the other slot or,
 * without one, on the fallback category the encoder maps those rows to; missing in the null bin when nullable.
 */
function layoutCounts(released: readonly { category: string; count: number }[], unlisted: number, missing: number, nullable: boolean, otherSlot: boolean, fallback: string | undefined, std: number): CategoryMarginal {
  const counts = new Map<string | null, number>();
  for (const c of released) counts.set(c.category, Math.max(0, c.count));
  if (otherSlot) counts.set(OTHER_LABEL, Math.max(0, unlisted));
  else if (fallback !== undefined) counts.set(fallback, (counts.get(fallback) ?? 0) + Math.max(0, unlisted));
  if (nullable) counts.set(null, Math.max(0, missing));
  return { counts, std };
}

/** Keep only structure and declared-public values; put in the DP-released ones. */
export function sanitize(spec: ColumnSpec, released: { nullable: boolean; min?: number | string; max?: number | string; categories?: string[] }): ColumnSpec {
  const out: ColumnSpec = { name: spec.name, type: spec.type, action: spec.action, nullable: released.nullable };
  if (spec.format) out.format = spec.format;
  if (spec.numberFormat) out.numberFormat = spec.numberFormat;
  if (spec.dateFormat) out.dateFormat = spec.dateFormat;
  if (spec.missingMarker && !spec.missingValues?.includes(spec.missingMarker)) out.missingMarker = spec.missingMarker;
  if (spec.description) out.description = spec.description;
  if (spec.public) {
    out.public = true;
    if (spec.decimals !== undefined) out.decimals = spec.decimals;
  }
  if (released.min !== undefined) out.min = released.min;
  if (released.max !== undefined) out.max = released.max;
  if (released.categories) out.categories = released.categories;
  return out;
}

/**
 * Data-independent histogram edges over [lo, hi]. The two bounds get bins of their own holding exactly
 * that value (an integer's [lo, lo+1), a real's [lo, lo + 1e-9 * range)), because point masses at a bound
 * are common (amounts that are mostly 0, values censored at a maximum) and a bin centre would move them
 * off the bound. Integers with a small range get one bin per value.
 */
export function histogramEdges(lo: number, hi: number, integer: boolean, bins: number): number[] {
  if (hi <= lo) hi = lo + (integer ? 1 : Math.max(1e-9, Math.abs(lo) * 1e-9));
  if (integer && hi - lo + 1 <= bins) {
    const e: number[] = [];
    for (let v = lo; v <= hi + 1; v++) e.push(v);
    return e;
  }
  const eps = integer ? 1 : (hi - lo) * 1e-9;
  const inner = bins - 2;
  const a = lo + eps;
  const b = hi - eps;
  const e: number[] = [lo];
  for (let k = 0; k <= inner; k++) e.push(a + ((b - a) * k) / inner);
  e.push(hi);
  return e;
}

/** Share of an integer column's histogram rho kept to locate heaped values (heapedValues). */
export const HEAPING_SHARE = 0.25;
/** The search for heaped values runs where it could find one holding this share of the rows (see its use). */
const HEAPING_MIN_FOUND = 0.1;
/** Only bins of at most this many integers are searched for a heaped value (the largest of w noisy counts grows with w). */
const HEAPING_MAX_WIDTH = 64;

/**
 * Heaped values of an integer column: the one value inside a spiking bin of the noisy histogram that holds most of
 * the bin (credit-data's loan terms: 36, 48 and 60 months hold 80% of the rows, in bins 4 wide; ages heaped at round
 * numbers; doses). A spike is an inner bin over 4 noise std and 2% of the mass with at least twice its neighbours'
 * counts (post-processing of the histogram); the integers of the spiking bins are then counted with Gaussian noise
 * (noisyPointCounts, ledgered: the points come from the DP histogram only), and a bin's largest count becomes a point
 * mass when it is over 4 of its noise std and at least half the bin, taken out of `weights` (the bin keeps the rest).
 * Without it the mixture spreads such a spike over its bin: credit-data's Time came out at 58-63 for 60 (1-KS 0.67).
 */
function heapedValues(values: readonly (number | null)[], edges: readonly number[], counts: readonly number[], std: number, weights: Float64Array, release: { rho: number; label: string }, ledger: PrivacyLedger, rng: Rng): { value: number; mass: number }[] {
  const n = counts.length;
  let total = 0;
  for (const c of counts) total += Math.max(0, c);
  const spikes: number[] = [];
  for (let k = 1; k < n - 1; k++) {
    const c = counts[k]!;
    if (c > 4 * std && c >= POINT_MASS_MIN_SHARE * total && c >= 2 * Math.max(counts[k - 1]!, counts[k + 1]!)) spikes.push(k);
  }
  if (!spikes.length) return [];
  // the integers of each spiking bin (the histogram puts x in the largest k with edges[k] <= x)
  const cells = spikes.map((k) => {
    const out: number[] = [];
    for (let v = Math.ceil(edges[k]!); v < edges[k + 1]!; v++) out.push(v);
    return out;
  });
  const r = noisyPointCounts(values, cells.flat(), release, rng);
  ledger.add(r.spend);
  const found: { value: number; mass: number }[] = [];
  let o = 0;
  spikes.forEach((k, s) => {
    let best = -1;
    for (let j = 0; j < cells[s]!.length; j++) if (best < 0 || r.counts[o + j]! > r.counts[o + best]!) best = j;
    const mass = r.counts[o + best]!;
    o += cells[s]!.length;
    if (best < 0 || !(mass > 4 * r.std && mass >= 0.5 * counts[k]!)) return;
    found.push({ value: cells[s]![best]!, mass });
    weights[k] = Math.max(0, weights[k]! - mass);
  });
  return found;
}

/** Width of an inner (not point) bin of histogramEdges' layout. */
function innerWidth(edges: readonly number[]): number {
  const n = edges.length - 1;
  return n >= 3 ? edges[2]! - edges[1]! : edges[n]! - edges[0]!;
}

/** The representative value of bin k: its only value for a boundary or unit integer bin, else its centre. */
function binPoint(edges: readonly number[], k: number, integer: boolean): number {
  const l = edges[k]!;
  const r = edges[k + 1]!;
  if (k === 0) return l;
  if (k === edges.length - 2) return r;
  return integer && r - l <= 1 ? l : (l + r) / 2;
}

function toNumber(v: number | string): number {
  return typeof v === 'number' ? v : Date.parse(v.length === 10 ? v + 'T00:00:00Z' : v);
}

function fromNumber(spec: ColumnSpec, x: number): number | string {
  return spec.type === 'datetime' ? new Date(x).toISOString() : x;
}
