/**
 * Mode-specific normalisation of a numeric column (CTGAN/TVAE; sdv-dev/RDT `ClusterBasedNormalizer`).
 *
 * Fit: a variational Gaussian mixture with a Dirichlet-process prior (at most 10 modes, see
 * math/bayesianGaussianMixture1d.ts); modes with weight > 0.005 are kept.
 * Encode x: pick a mode k by SAMPLING from the posterior component probabilities (+1e-6, renormalised,
 * as RDT), alpha = (x - mean_k) / (4 std_k) clipped to [-0.99, 0.99]; output [alpha, one-hot(k)],
 * spans [{tanh}, {softmax, K}].
 * Decode: alpha (+ N(0, sigma) when the decoder's sigmas are given, as TVAE's inverse transform),
 * clipped to [-1, 1]; k = argmax of the one-hot block; x = alpha * 4 std_k + mean_k, clipped to
 * [min, max] (reflected back inside when fitted from a DP summary, see `reflect`) and rounded to
 * `decimals` (integers: 0).
 * Point masses: fitted from a DP summary, a bound's own point holding at least 2% of the mass is a mode of its own
 * with a std of 1e-9 of the range (not fitted with the rest: the mixture smeared credit-data's 37% zeros over
 * 0-457); a draw of any mode that narrow decodes to its mean exactly.
 *
 * Posterior probabilities use the plug-in mixture w_k N(x | mean_k, std_k) over the kept modes.
 * RDT calls scikit-learn's `predict_proba`, which uses the variational expectations (E[ln w_k] and
 * a Student-like correction); for the kept modes (thousands of points each) the two differ by
 * O(1/N_k) and the plug-in form needs only the JSON-stored weights, means and stds.
 *
 * `sigmas`, when given, are indexed by absolute encoded column: sigma for this column's alpha is
 * `sigmas[offset]`.
 */
import type { Cell } from '../table/Table.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import type { Rng } from '../rng.js';
import { SchemaValueError, ValueError } from '../errors.js';
import type { OutputSpan, TransformerState } from './Transformer.js';
import { BaseTransformer, type FittedFrom, numberArray, numberField, stateError, type NumericSummary, type ValueKind } from './BaseTransformer.js';
import { bayesianGaussianMixture1d } from './math/bayesianGaussianMixture1d.js';
import type { DecodedColumn, DrawDecodeOptions } from './DecodedColumn.js';
import { fillStandardNormal } from '../random/fillStandardNormal.js';
import * as msg from '../messages.js';

export interface ClusterBasedNormalizerOptions {
  /** Maximum number of modes (default 10). */
  maxClusters?: number;
  /** Modes with a smaller mixture weight are dropped (default 0.005). */
  weightThreshold?: number;
}

const STD_MULTIPLIER = 4;
/** A bound's point bin with at least this share of a DP summary's mass is a point-mass mode (fitFromSummary). */
export const POINT_MASS_MIN_SHARE = 0.02;
/** A point-mass mode's std, relative to the range: decoded values land on its mean (see pointMassStd). */
const POINT_MASS_STD = 1e-9;

/**
 * The std of a point-mass mode: tiny against the range, so that a value at its mean is assigned to it and nothing
 * else is; decoding puts a draw of such a mode exactly on its mean (the `point` flags, set in `prepare`).
 */
function pointMassStd(min: number, max: number): number {
  return Math.max(Number.MIN_VALUE, POINT_MASS_STD * Math.max(Math.abs(max - min), Math.abs(max), Math.abs(min), 1e-300));
}

/** Is `sd` a point-mass mode's std over [min, max] (pointMassStd, allowing for rounding)? */
function isPointMassStd(sd: number, min: number, max: number): boolean {
  return sd <= pointMassStd(min, max) * (1 + 1e-6);
}

export class ClusterBasedNormalizer extends BaseTransformer {
  /** Fit paths: raw column (`fit`, not DP) or a weighted summary (`fitFromSummary`, DP if the summary is). */
  static readonly fitsFrom: readonly FittedFrom[] = ['data', 'summary'];
  readonly type: string = 'ClusterBasedNormalizer';
  readonly valueKind: ValueKind = 'number';
  readonly maxClusters: number;
  readonly weightThreshold: number;

  // Fitted parameters (kept modes only).
  protected weights: number[] = [];
  protected means: number[] = [];
  protected stds: number[] = [];
  protected min = 0;
  protected max = 0;
  /** Decimal places of the output; null = no rounding. */
  protected decimals: number | null = null;
  /**
   * Decoded values beyond a bound are reflected back inside (x < min: 2 min - x) instead of clipped onto it.
   * Set by `fitFromSummary` (the DP path): there the bounds come from a coarse noisy range or a declaration,
   * not from the data's own extremes, and clipping piled every overshooting value on them (the CPS demo's
   * experience at its declared maximum 60, no real row above 55). A real point mass at a bound is a mode of
   * tiny std and is not affected. Fits on raw data clip, as TVAE does.
   */
  protected reflect = false;

  // Derived, for the hot loops.
  private mArr = new Float64Array(0);
  private invStd = new Float64Array(0);
  private logC = new Float64Array(0);
  /** Modes that are point masses (std at most pointMassStd): a draw of one decodes to its mean exactly. */
  private point = new Uint8Array(0);

  constructor(column: string, options: ClusterBasedNormalizerOptions = {}) {
    super(column);
    this.maxClusters = options.maxClusters ?? 10;
    this.weightThreshold = options.weightThreshold ?? 0.005;
    if (!Number.isInteger(this.maxClusters) || this.maxClusters < 1) throw new RangeError(`maxClusters must be a positive integer, got ${this.maxClusters}`);
  }

  /** The modes that are point masses (their indices in the mode span): a draw of one decodes to its mean exactly. */
  get pointModes(): number[] {
    this.assertFitted();
    const out: number[] = [];
    this.point.forEach((f, k) => f && out.push(k));
    return out;
  }

  /** The fitted modes (kept components), for inspection and tests. */
  get modes(): { weights: number[]; means: number[]; stds: number[] } {
    this.assertFitted();
    return { weights: [...this.weights], means: [...this.means], stds: [...this.stds] };
  }

  /** Output clipping bounds and rounding. */
  get bounds(): { min: number; max: number; decimals: number | null } {
    this.assertFitted();
    return { min: this.min, max: this.max, decimals: this.decimals };
  }

  /**
   * Fit from a weighted summary instead of raw values (the DP path: bin centres and noisy counts,
   * bounds declared or bought by the caller). Records `fittedFrom: 'summary'`.
   * @throws {InputError} when the summary is malformed
   */
  fitFromSummary(summary: NumericSummary, spec: ColumnSpec, rng: Rng): this {
    this.checkSpec(spec);
    const { points, weights, min, max } = summary;
    const bad = (what: string) =>
      new ValueError(msg.numericSummaryInvalid(this.column, what), { location: { column: this.column }, hint: msg.HINT_NUMERIC_SUMMARY });
    if (points.length === 0 || points.length !== weights.length) throw bad(msg.summaryWeightsDiffer(points.length, weights.length));
    if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw bad(msg.summaryBoundsInvalid(min, max));
    // interior point masses (heaped values) the caller found and took out of the weights, inside the bounds
    const inner = (summary.pointMasses ?? []).filter((p) => p.mass > 0 && p.value > min && p.value < max && Number.isFinite(p.value));
    let positive = inner.length > 0;
    for (let i = 0; i < points.length; i++) {
      if (!Number.isFinite(points[i]!) || !Number.isFinite(weights[i]!)) throw bad(msg.summaryNotFinite(i));
      if (weights[i]! > 0) positive = true;
    }
    if (!positive) throw bad(msg.SUMMARY_NO_POSITIVE_WEIGHT);
    // A bound's own point (a point bin: amounts that are mostly 0, values censored at a maximum) holding a share of
    // the mass becomes a mode of its own, a point mass: fitted with the other points, the mixture put credit-data's
    // Assets zeros (37% of rows) in a mode at 2.1 of std 114, decoded over 0-457 (12% zeros after calibration)
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += Math.max(0, weights[i]!);
    for (const p of inner) total += p.mass;
    const bm = summary.boundMass;
    const own = (i: number): number => Math.max(0, bm ? (points[i] === min ? bm.min : points[i] === max ? bm.max : 0) : weights[i]!);
    const atEnd = (i: number) => (points[i] === min || points[i] === max) && own(i) >= POINT_MASS_MIN_SHARE * total;
    const ends = [...points.keys()].filter(atEnd);
    // what a point mass leaves of its point (a clipped tail on the bound) stays with the mixture
    const left = (i: number): number => (atEnd(i) ? weights[i]! - own(i) : weights[i]!);
    const rest = [...points.keys()].filter((i) => left(i) > 0);
    const masses = [...ends.map((i) => ({ value: points[i]!, mass: own(i) })), ...inner];
    // the mixture over what the point masses leave, scaled to its share, then the point masses; nothing but point
    // masses when the heaped values took every weight (bound points alone, with no rest, stay with the mixture)
    if (masses.length && (rest.length || inner.length)) {
      if (rest.length) {
        this.fitMixture(Float64Array.from(rest, (i) => points[i]!), Float64Array.from(rest, (i) => left(i)), rng);
        const share = masses.reduce((a, p) => a + p.mass, 0) / total;
        this.weights = this.weights.map((w) => w * (1 - share));
      } else [this.weights, this.means, this.stds] = [[], [], []];
      for (const p of masses) {
        this.weights.push(p.mass / total);
        this.means.push(p.value);
        this.stds.push(pointMassStd(min, max));
      }
    } else this.fitMixture(points, weights, rng);
    const res = summary.resolution;
    if (res !== undefined && res > 0) {
      // modes exactly at a bound (a point bin's value) and point masses (a heaped value) keep their std
      const atBound = (m: number) => Math.abs(m - min) <= 1e-9 * (max - min) || Math.abs(max - m) <= 1e-9 * (max - min);
      this.stds = this.stds.map((sd, k) => (isPointMassStd(sd, min, max) || atBound(this.means[k]!) ? sd : Math.max(sd, res / 2)));
    }
    this.min = min;
    this.max = max;
    this.reflect = true;
    this.decimals = this.decimalsFor(spec);
    this.prepare();
    this.markFitted('summary');
    return this;
  }

  protected acceptsMissing(): boolean {
    return false;
  }

  protected _fit(values: readonly Cell[], spec: ColumnSpec, rng: Rng): void {
    const n = values.length;
    if (n === 0) throw new ValueError(msg.emptyNumericColumn(this.column), { location: { column: this.column } });
    // Distinct values with counts: the same fixed point as the raw rows (frequency weights), much
    // faster for columns such as ages or counts.
    const sorted = new Float64Array(n);
    for (let i = 0; i < n; i++) sorted[i] = this.toNumber(values[i] as number);
    sorted.sort();
    const pts: number[] = [];
    const cnt: number[] = [];
    for (let i = 0; i < n; i++) {
      if (i > 0 && sorted[i] === sorted[i - 1]) cnt[cnt.length - 1]!++;
      else {
        pts.push(sorted[i]!);
        cnt.push(1);
      }
    }
    this.fitMixture(Float64Array.from(pts), Float64Array.from(cnt), rng);
    const declared = this.declaredBounds(spec);
    this.min = declared.min ?? sorted[0]!;
    this.max = declared.max ?? sorted[n - 1]!;
    if (this.min > this.max) {
      throw new ValueError(msg.declaredBoundsEmpty(this.column, this.min, this.max), { location: { column: this.column }, hint: msg.HINT_FIX_BOUNDS });
    }
    this.decimals = this.decimalsFor(spec);
    this.prepare();
  }

  /** Hook for subclasses whose cells need a conversion (identity here). */
  protected toNumber(v: number): number {
    return v;
  }

  /** Declared bounds from the schema (numbers), if any. */
  protected declaredBounds(spec: ColumnSpec): { min?: number; max?: number } {
    const num = (v: number | string | undefined, which: string): number | undefined => {
      if (v === undefined) return undefined;
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      throw new SchemaValueError(msg.schemaBoundNotFinite(this.column, which, JSON.stringify(v)), { location: { column: this.column } });
    };
    return { min: num(spec.min, 'min'), max: num(spec.max, 'max') };
  }

  protected decimalsFor(spec: ColumnSpec): number | null {
    if (spec.type === 'integer') return 0;
    if (spec.decimals !== undefined) {
      if (!Number.isInteger(spec.decimals) || spec.decimals < 0 || spec.decimals > 15) {
        throw new SchemaValueError(msg.decimalsInvalid(this.column, spec.decimals), { location: { column: this.column } });
      }
      return spec.decimals;
    }
    return null;
  }

  /** The grid decoded values are rounded to (10^-decimals; whole days or milliseconds for datetimes), or null. */
  get roundingUnit(): number | null {
    return this.decimals === null ? null : 10 ** -this.decimals;
  }

  /** Round a decoded value (subclasses: whole days, whole milliseconds). */
  protected round(x: number): number {
    const d = this.decimals;
    if (d === null) return x;
    if (d === 0) return Math.round(x) + 0; // + 0 turns -0 into 0
    const f = 10 ** d;
    return Math.round(x * f) / f + 0;
  }

  private fitMixture(points: Float64Array, weights: Float64Array, rng: Rng): void {
    const fit = bayesianGaussianMixture1d(points, weights, rng, { nComponents: this.maxClusters });
    const keep: number[] = [];
    fit.weights.forEach((w, k) => {
      if (w > this.weightThreshold) keep.push(k);
    });
    this.weights = keep.map((k) => fit.weights[k]!);
    this.means = keep.map((k) => fit.means[k]!);
    this.stds = keep.map((k) => fit.stds[k]!);
  }

  private prepare(): void {
    const K = this.means.length;
    this.mArr = Float64Array.from(this.means);
    this.invStd = Float64Array.from(this.stds, (s) => 1 / s);
    this.logC = new Float64Array(K);
    for (let k = 0; k < K; k++) this.logC[k] = Math.log(this.weights[k]!) - Math.log(this.stds[k]!);
    this.point = Uint8Array.from(this.stds, (sd) => (isPointMassStd(sd, this.min, this.max) ? 1 : 0));
  }

  protected _width(): number {
    return 1 + this.means.length;
  }

  protected _spans(): OutputSpan[] {
    return [{ kind: 'tanh' }, { kind: 'softmax', width: this.means.length }];
  }

  protected _transform(values: readonly Cell[], out: Float32Array, stride: number, offset: number, rng: Rng): void {
    const K = this.means.length;
    const m = this.mArr;
    const inv = this.invStd;
    const c = this.logC;
    const p = new Float64Array(K);
    for (let i = 0, n = values.length; i < n; i++) {
      const x = this.toNumber(values[i] as number);
      const base = i * stride + offset;
      let k = 0;
      if (K > 1) {
        let mx = -Infinity;
        for (let j = 0; j < K; j++) {
          const z = (x - m[j]!) * inv[j]!;
          const l = c[j]! - 0.5 * z * z;
          p[j] = l;
          if (l > mx) mx = l;
        }
        let sum = 0;
        for (let j = 0; j < K; j++) {
          const e = Math.exp(p[j]! - mx);
          p[j] = e;
          sum += e;
        }
        let tot = 0;
        for (let j = 0; j < K; j++) {
          const q = p[j]! / sum + 1e-6;
          p[j] = q;
          tot += q;
        }
        let r = rng.uniform() * tot;
        k = K - 1;
        for (let j = 0; j < K; j++) {
          r -= p[j]!;
          if (r < 0) {
            k = j;
            break;
          }
        }
      }
      let a = ((x - m[k]!) * inv[k]!) / STD_MULTIPLIER;
      if (a > 0.99) a = 0.99;
      else if (a < -0.99) a = -0.99;
      out[base] = a;
      for (let j = 0; j < K; j++) out[base + 1 + j] = j === k ? 1 : 0;
    }
  }

  protected _reverse(enc: Float32Array, n: number, stride: number, offset: number, rng: Rng, sigmas?: Float32Array): Cell[] {
    const K = this.means.length;
    const m = this.mArr;
    const s = this.stds;
    const lo = this.min;
    const hi = this.max;
    const sigma = sigmas ? sigmas[offset]! : 0;
    const reflect = this.reflect;
    const res: Cell[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const base = i * stride + offset;
      let a = enc[base]!;
      if (sigma > 0) a += sigma * rng.normal();
      if (a > 1) a = 1;
      else if (a < -1) a = -1;
      let k = 0;
      let best = enc[base + 1]!;
      for (let j = 1; j < K; j++) {
        const v = enc[base + 1 + j]!;
        if (v > best) {
          best = v;
          k = j;
        }
      }
      let x = a * STD_MULTIPLIER * s[k]! + m[k]!;
      if (x < lo) x = reflect ? Math.min(hi, 2 * lo - x) : lo;
      else if (x > hi) x = reflect ? Math.max(lo, 2 * hi - x) : hi;
      if (this.point[k]) x = m[k]!;
      res[i] = this.round(x);
    }
    return res;
  }

  /**
   * Compact decode: spans [tanh value, drawn mode]. Same arithmetic as `_reverse` (noise N(0, sigma)
   * on alpha, clip to [-1, 1], alpha * 4 std_k + mean_k, clip to [min, max]); then the optional
   * transport (calibration) on the unrounded values, a clip to [min, max] again, and rounding.
   */
  override reverseDraws(draws: Float32Array, n: number, stride: number, spanOffset: number, rng: Rng, opts: DrawDecodeOptions = {}): DecodedColumn {
    this.assertFitted();
    const K = this.means.length;
    const m = this.mArr;
    const w = Float64Array.from(this.stds, (sd) => STD_MULTIPLIER * sd);
    const lo = this.min;
    const hi = this.max;
    const sigma = opts.spanSigmas?.[spanOffset] ?? 0;
    const noise = sigma > 0 ? fillStandardNormal(rng.fork('sigma'), new Float32Array(n), sigma) : null;
    const reflect = this.reflect;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const base = i * stride + spanOffset;
      let a = draws[base]!;
      if (noise) a += noise[i]!;
      if (a > 1) a = 1;
      else if (a < -1) a = -1;
      let k = draws[base + 1]! | 0;
      if (!(k >= 0 && k < K)) k = K - 1;
      let x = a * w[k]! + m[k]!;
      if (x < lo) x = reflect ? Math.min(hi, 2 * lo - x) : lo;
      else if (x > hi) x = reflect ? Math.max(lo, 2 * hi - x) : hi;
      values[i] = this.point[k] ? m[k]! : x;
    }
    if (opts.transport) {
      opts.transport(this.column, values, rng.fork('transport'));
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        values[i] = x < lo ? lo : x > hi ? hi : x;
      }
    }
    // whole numbers (integer columns) inline; other roundings through round()
    if (this.decimals === 0 && this.type === 'ClusterBasedNormalizer') for (let i = 0; i < n; i++) values[i] = Math.round(values[i]!) + 0;
    else if (this.decimals !== null || this.type !== 'ClusterBasedNormalizer') for (let i = 0; i < n; i++) values[i] = this.round(values[i]!);
    return { kind: 'number', values };
  }

  protected _state(): Record<string, unknown> {
    return {
      maxClusters: this.maxClusters,
      weightThreshold: this.weightThreshold,
      weights: [...this.weights],
      means: [...this.means],
      stds: [...this.stds],
      min: this.min,
      max: this.max,
      decimals: this.decimals,
      ...(this.reflect ? { boundary: 'reflect' } : {}),
    };
  }

  /** Restore the fitted parameters of a saved state into this (unfitted) instance. */
  protected restore(state: TransformerState): this {
    this.restoreBase(state);
    this.weights = numberArray(state, 'weights');
    this.means = numberArray(state, 'means');
    this.stds = numberArray(state, 'stds');
    const K = this.means.length;
    if (K === 0 || this.weights.length !== K || this.stds.length !== K || this.stds.some((v) => !(v > 0))) throw stateError(state, 'means/stds/weights', { K });
    this.min = numberField(state, 'min')!;
    this.max = numberField(state, 'max')!;
    this.decimals = numberField(state, 'decimals', true);
    if (state.boundary !== undefined && state.boundary !== 'reflect') throw stateError(state, 'boundary', state.boundary);
    this.reflect = state.boundary === 'reflect';
    this.prepare();
    return this;
  }

  static fromJSON(state: TransformerState): ClusterBasedNormalizer {
    return new ClusterBasedNormalizer(String(state.column), optionsOf(state)).restore(state);
  }
}

/** Constructor options recorded in a saved state. */
export function optionsOf(state: TransformerState): ClusterBasedNormalizerOptions {
  return { maxClusters: numberField(state, 'maxClusters')!, weightThreshold: numberField(state, 'weightThreshold')! };
}
