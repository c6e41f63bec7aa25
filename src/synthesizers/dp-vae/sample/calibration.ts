/**
 * Calibration of a VAE sampler to stored one-way marginals, fitted once, applied per value.
 *
 *   pilot: z, u for P rows (seeded) ──► raw decoder outputs ──► per categorical column (and per missing
 *          indicator): logit shifts b with E_z[softmax(logits(z) + b)] = target shares
 *   pilot draws with those shifts ──► per numeric column: the monotone transport T = G^-1 o F from the
 *          model's distribution F of the column's (unrounded) values to G, the same distribution
 *          reweighted bin by bin to the target shares (MonotoneTransport.ts)
 *   sampling: the shifts go into the heads (VaeSampler.setCalibration), T is applied to every value
 *
 * Why this and not per-batch raking (`calibrate` in marginals.ts): given z the VAE's columns are
 * independent, so a column's marginal depends only on its own logits and a shift of them matches it
 * exactly (in expectation) without touching the others; a monotone map matches a numeric marginal while
 * keeping every row's rank, and so the dependence between columns. Both cost nothing per row, where
 * raking drew 3x the rows and iterated over them (sampling ran at 13k rows/s calibrated vs 64k plain).
 * Within a bin the model's own shape is kept, as raking keeps it.
 *
 * Pure post-processing of the model and the (DP or exact) release: no data is read, nothing is spent.
 * Deterministic for a given rng.
 */
import { ModelError, ValueError } from '../../../errors.js';
import type { Rng } from '../../../rng.js';
import type { MarginalRelease, NoisyMarginal } from '../../../sampling/marginals.js';
import { MARGINALS_KIND, MARGINALS_VERSION, edgeBin } from '../../../sampling/marginals.js';
import { slotLabels } from '../../../sampling/conditions.js';
import type { VaeSampler } from './VaeSampler.js';
import type { EncodedSpan, NamedWeight } from '../engine/VaeEngine.js';
import { MonotoneTransport } from '../../../sampling/MonotoneTransport.js';
import { MissingIndicator } from '../../../transformers/MissingIndicator.js';
import type { ClusterBasedNormalizer } from '../../../transformers/ClusterBasedNormalizer.js';
import { drawFromExp, drawHeads } from './drawHeads.js';
import { EXP_SAFE } from '../../../nn/onnx/drawGraph.js';
import { LOGIT_CLIP } from '../../../nn/logitClip.js';
import * as msg from '../../../messages.js';

export interface CalibrationOptions {
  /**
   * Pilot rows the shifts and transports are fitted on (default 32,768), at most
   * max(MIN_PILOT_ROWS, floor(maxPilotCells / encoded width)).
   */
  pilotRows?: number;
  /** Cap on pilot rows x encoded width (default PILOT_CELLS); see pilotRowsFor. */
  maxPilotCells?: number;
  /** Shift iterations per span at most (default 30). */
  iterations?: number;
}

export interface ColumnCalibration {
  column: string;
  kind: 'categorical' | 'numeric';
  /** Total variation distance between the pilot's shares and the targets, before and after. */
  tvdBefore: number;
  tvdAfter: number;
}

export interface SamplerCalibration {
  /** Logit shifts, one per encoded column (0 off the calibrated spans). */
  bias: Float32Array;
  transports: Map<string, MonotoneTransport>;
  pilotRows: number;
  columns: ColumnCalibration[];
}

/**
 * The pilot holds its decoder outputs densely (rows x encoded width float32, plus rows x span width
 * float64 per softmax span while its shift is fitted): 65,536 pilot rows of a 10,000-level column took
 * 2.6 GB for the outputs and 5.2 GB for the span, 8.4 GB peak for a 20,000-row table. So the pilot's rows
 * x width is capped at 2^24 cells (64 MB of outputs, at most 128 MB more for a span): every table up to
 * 256 encoded columns (UCI Adult: 157) keeps a 65,536-row pilot, a 10,000-level column gets 1,677 rows.
 * The shifts match mean softmax probabilities (not counted draws), so a smaller pilot costs little
 * precision for them; the numeric transports see fewer values. The manifest records the rows used.
 */
export const PILOT_CELLS = 2 ** 24;
/** Fewest pilot rows whatever the width (a numeric transport needs a few hundred values). */
export const MIN_PILOT_ROWS = 1024;

/** Pilot rows for `requested` rows at encoded width `width` under the cell cap (see PILOT_CELLS). */
export function pilotRowsFor(requested: number, width: number, maxCells: number = PILOT_CELLS): number {
  return Math.min(requested, Math.max(MIN_PILOT_ROWS, Math.floor(maxCells / Math.max(1, width))));
}

const BIAS_LIMIT = 20;
/** Stop when a span's pilot shares are this close (TVD) to the target: well below the pilot's own sampling noise (~0.003 at 32k rows). */
const TOLERANCE = 2e-4;

/** A softmax span whose shares are matched, with its target per slot. */
interface SpanTarget {
  column: string;
  span: EncodedSpan;
  target: Float64Array;
  /** Variance of the noise in each target share, (std / total)^2 (0: exact). */
  noiseVar: number;
}

/**
 * Shrink noisy target shares towards the model's (the pilot's) shares by the positive-part James-Stein
 * factor lambda = max(0, 1 - B v / sum_b (t_b - p_b)^2), B bins, v the noise variance of a share: when the
 * gap between target and model is no larger than the noise would make it anyway (a small table, a small
 * budget), calibration leaves the model alone instead of fitting noise (CPS at epsilon 1: noise std 42 rows
 * a bin over 427 rows piled 17% of ages on one value); when the gap clearly exceeds the noise (Adult),
 * lambda is near 1. `dimensions` replaces B in lambda (categorical shares pass James-Stein's B - 2). Post-processing
 * of the model and the release: free.
 */
export function shrinkShares(target: ArrayLike<number>, pilot: ArrayLike<number>, noiseVar: number, dimensions = target.length): { shares: Float64Array; lambda: number } {
  const B = dimensions;
  let gap = 0;
  for (let b = 0; b < target.length; b++) gap += (target[b]! - pilot[b]!) ** 2;
  const lambda = noiseVar > 0 ? (gap > 0 ? Math.max(0, 1 - (B * noiseVar) / gap) : 0) : 1;
  const shares = new Float64Array(target.length);
  let tot = 0;
  for (let b = 0; b < target.length; b++) {
    shares[b] = Math.max(0, pilot[b]! + lambda * (target[b]! - pilot[b]!));
    tot += shares[b]!;
  }
  if (tot > 0) for (let b = 0; b < target.length; b++) shares[b]! /= tot;
  return { shares, lambda };
}

const noiseVarOf = (m: NoisyMarginal): number => {
  const total = m.counts.reduce((a, c) => a + Math.max(0, c), 0);
  return total > 0 ? (m.std / total) ** 2 : 0;
};

/**
 * Fit shifts and transports that bring `sampler`'s one-way marginals to `release`'s, and install them
 * on the sampler (setCalibration). Returns them with per-column before/after distances on the pilot.
 * @throws {InputError} for a release of another kind/version
 */
export function calibrateSampler(sampler: VaeSampler, release: MarginalRelease, rng: Rng, opts: CalibrationOptions = {}): SamplerCalibration {
  if (release?.kind !== MARGINALS_KIND || release.version !== MARGINALS_VERSION) throw new ValueError(msg.notMarginalRelease(JSON.stringify(release?.kind), JSON.stringify(release?.version)));
  const enc = sampler.encoder;
  const D = enc.width;
  const P = pilotRowsFor(opts.pilotRows ?? 32_768, D, opts.maxPilotCells);
  const { z, u } = sampler.latents(P, rng.fork('pilot'));
  const e0 = sampler.source.exps(z, P);
  const T = sampler.heads.temperature;
  const spanTargets: SpanTarget[] = [];
  const numeric: { m: NoisyMarginal & { kind: 'numeric' } }[] = [];
  for (const m of release.marginals) {
    const block = enc.blocks.find((b) => b.column === m.column);
    if (!block) continue;
    const spans = enc.spans.filter((s) => s.start >= block.start && s.start < block.start + block.width) as EncodedSpan[];
    if (m.kind === 'categorical') {
      const labels = slotLabels(block);
      const span = spans[0];
      if (!labels || !span || span.kind !== 'softmax' || span.width !== labels.length) continue;
      const target = new Float64Array(span.width);
      m.labels.forEach((l, k) => {
        const slot = labels.indexOf(l);
        if (slot >= 0) target[slot] = Math.max(0, m.counts[k]!);
      });
      spanTargets.push({ column: m.column, span, target: normalise(target), noiseVar: noiseVarOf(m) });
    } else {
      numeric.push({ m });
      const ind = spans[spans.length - 1];
      if (m.nullable && ind && ind.kind === 'softmax' && ind.width === 2 && block.transformer.type === 'MissingIndicator') {
        const inner = m.counts.slice(0, -1).reduce((a, c) => a + Math.max(0, c), 0);
        const missing = Math.max(0, m.counts[m.counts.length - 1]!);
        spanTargets.push({ column: m.column, span: ind, target: normalise(Float64Array.from([inner, missing])), noiseVar: noiseVarOf(m) });
      }
    }
  }

  const bias = new Float32Array(D);
  const columns: ColumnCalibration[] = [];
  for (const st of spanTargets) {
    const { before, after } = fitSpanShift(e0, P, D, st, T, bias, opts.iterations ?? 30);
    if (enc.blocks.find((b) => b.column === st.column)?.transformer.type === 'OneHotEncoder') columns.push({ column: st.column, kind: 'categorical', tvdBefore: before, tvdAfter: after });
  }
  sampler.setCalibration(bias, undefined);

  // numeric: the pilot's unrounded values (with the shifts in place), captured before rounding
  const transports = new Map<string, MonotoneTransport>();
  if (numeric.length) {
    const spans = enc.spans as EncodedSpan[];
    const S = spans.length;
    // the columns with point-mass modes (a bound's own point, a heaped value: ClusterBasedNormalizer.pointModes) and their mode spans
    const pointColumns = numeric.flatMap(({ m }) => {
      const j = enc.columns.indexOf(m.column);
      const tr = enc.blocks[j]?.transformer;
      const cbn = tr instanceof MissingIndicator ? tr.inner : tr?.type === 'ClusterBasedNormalizer' ? (tr as ClusterBasedNormalizer) : null;
      const modes = cbn?.pointModes ?? [];
      const block = enc.blocks[j]!;
      const span = spans.findIndex((sp) => sp.kind === 'softmax' && sp.start === block.start + 1);
      return cbn && modes.length && span >= 0 ? [{ m, cbn, modes, span }] : [];
    });
    // the pilot's draws with the shifts, from the exponentials already at hand (drawFromExp is what the
    // sampler runs on the onnxruntime graph's output; drawHeads its max-subtracted reference); in place when
    // e0 is not needed again (a copy doubles the pilot's largest array)
    const pilot = (inPlace: boolean): { draws: Float32Array; cols: ReturnType<typeof enc.decodeDraws>; captured: Map<string, Float64Array> } => {
      const invT = T === 0 ? 1 : 1 / T;
      const maxShift = bias.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
      let draws: Float32Array;
      if (LOGIT_CLIP * invT + maxShift > EXP_SAFE) {
        const raw = Float32Array.from(e0, (x) => Math.log(x));
        draws = drawHeads(raw, P, D, spans, u, { invT, argmax: T === 0, bias, order: sampler.heads.order });
      } else {
        const e = inPlace ? e0 : Float32Array.from(e0);
        const factor = Float64Array.from(bias, (b) => Math.exp(b));
        for (const sp of spans) {
          if (sp.kind !== 'softmax') continue;
          for (let i = 0; i < P; i++) {
            for (let j = sp.start; j < sp.start + sp.width; j++) e[i * D + j] = (invT === 1 ? e[i * D + j]! : e[i * D + j]! ** invT) * factor[j]!;
          }
        }
        draws = drawFromExp(e, P, D, spans, u, T === 0, undefined, undefined, sampler.heads.order);
      }
      const captured = new Map<string, Float64Array>();
      const cols = enc.decodeDraws(draws, P, rng.fork('pilot-decode'), { spanSigmas: sampler.spanSigmas, transport: (column, values) => captured.set(column, Float64Array.from(values)) });
      return { draws, cols, captured };
    };
    // a numeric column's pilot values (present rows, unrounded) and the target shares its transport maps them onto
    const targetsOf = (m: NoisyMarginal & { kind: 'numeric' }, drawn: ReturnType<typeof pilot>) => {
      const j = enc.columns.indexOf(m.column);
      const x = drawn.captured.get(m.column);
      const out = drawn.cols[j];
      if (!x || !out || out.kind !== 'number') return null;
      const present: number[] = [];
      const rows: number[] = [];
      for (let i = 0; i < P; i++) if (!Number.isNaN(out.values[i]!)) (present.push(x[i]!), rows.push(i));
      const inner = m.counts.slice(0, m.nullable ? -1 : undefined).map((c) => Math.max(0, c));
      // the transport moves unrounded values; a rounded value v is in [e, ...) when v >= e, i.e. when the
      // unrounded value is >= ceil(e / unit) - 1/2 units (Math.round rounds halves up): shift the edges
      const tr = enc.blocks[j]!.transformer;
      const unit = (tr instanceof MissingIndicator ? tr.inner : (tr as ClusterBasedNormalizer)).roundingUnit ?? null;
      const edges = unit ? roundedEdges(m.edges, unit) : m.edges;
      const pilotShares = new Float64Array(inner.length);
      for (const v of present) pilotShares[edgeBin(edges, v)]!++;
      const innerTotal = inner.reduce((a, c) => a + c, 0);
      if (!(innerTotal > 0) || present.length === 0) return null;
      for (let b = 0; b < inner.length; b++) pilotShares[b]! /= present.length;
      const { shares } = shrinkShares(inner.map((c) => c / innerTotal), pilotShares, (m.std / innerTotal) ** 2);
      return { present, rows, edges, pilotShares, shares };
    };
    let drawn = pilot(pointColumns.length === 0);
    // Point-mass modes first: a logit shift of each such mode brings the share of rows on its point to what the
    // release leaves it, so the rows that leave (or join) the point are the ones whose decoder favours the other
    // modes (or it) most. The transport alone would move rows off the point at random: UCI Adult's capital-gain
    // zeros (0.959 sampled, 0.916 released) went out uniformly, and the non-zero gains it made belonged to rows
    // with the income of the zeros (P(>50K | gain > 0) 0.37, real 0.62). Post-processing, as the rest.
    let shifted = false;
    for (const pc of pointColumns) {
      const t = targetsOf(pc.m, drawn);
      if (!t) continue;
      const { means, weights } = pc.cbn.modes;
      for (const k of pc.modes) {
        const a = means[k]!;
        // the point's share of the present rows (its draws), and what the release leaves it in its bin
        let onPoint = 0;
        for (const i of t.rows) if (drawn.draws[i * S + pc.span] === k) onPoint++;
        const sPoint = onPoint / t.present.length;
        if (!(sPoint > 0)) continue;
        const b = edgeBin(t.edges, a);
        // what the release's bin leaves the point once the model's other values in the bin are counted; at most the
        // point's own DP share (its mode weight) unless the model already makes more: a release bin several values
        // wide (flchain's sample.yr, years in bins of 8) held the point and its neighbours, and the point took all
        // of it (0.69 of the rows, real 0.44)
        const want = Math.min(Math.max(0, t.shares[b]! - (t.pilotShares[b]! - sPoint)), Math.max(sPoint, weights[k]!));
        const ratio = want / sPoint;
        if (Math.abs(ratio - 1) < 0.01) continue;
        bias[spans[pc.span]!.start + k] = fitSlotShift(e0, P, D, spans[pc.span]!, k, T, bias, ratio);
        shifted = true;
      }
    }
    if (pointColumns.length) drawn = shifted ? pilot(true) : drawn;
    for (const { m } of numeric) {
      const t = targetsOf(m, drawn);
      if (!t) continue;
      const tr = MonotoneTransport.fit(Float64Array.from(t.present), t.edges, Array.from(t.shares), rng.fork(`transport:${m.column}`));
      if (!tr) continue;
      transports.set(m.column, tr);
      columns.push({ column: m.column, kind: 'numeric', tvdBefore: tr.tvdBefore, tvdAfter: tr.tvdAfter });
    }
  }
  installCalibration(sampler, { bias, transports });
  return { bias, transports, pilotRows: P, columns };
}

/** Edges for unrounded values that bin them as their rounded values fall into the given edges (strictly increasing kept). */
export function roundedEdges(edges: readonly number[], unit: number): number[] {
  const out = edges.map((e) => (Math.ceil(e / unit - 1e-9) - 0.5) * unit);
  for (let i = 1; i < out.length; i++) if (!(out[i]! > out[i - 1]!)) out[i] = out[i - 1]! + unit * 1e-6;
  return out;
}

function normalise(a: Float64Array): Float64Array {
  let s = 0;
  for (const v of a) s += v;
  if (s > 0) for (let i = 0; i < a.length; i++) a[i]! /= s;
  return a;
}

/**
 * Shifts b of one softmax span so that the pilot's mean softmax(clip(r) / T + b) equals the target
 * (temperature 0: the share of rows whose argmax is each slot). Writes b into `bias`. `e0` holds
 * exp(clip(r)) per row and encoded column. Fixed point b_j += log(t_j / s_j) (each step is one IPF step
 * on the span's shares), first on a quarter of the pilot, then on all of it; slots the pilot never
 * reaches keep their share (a target there cannot be met), as raking does.
 */
function fitSpanShift(e0: Float32Array, P: number, D: number, st: SpanTarget, T: number, bias: Float32Array, iterations: number): { before: number; after: number } {
  const { start, width: w } = st.span;
  const argmax = T === 0;
  const invT = argmax ? 1 : 1 / T;
  // base weights (e0 / row max)^(1/T) (argmax: e0, compared after scaling by exp(b))
  const base = new Float64Array(P * w);
  for (let i = 0; i < P; i++) {
    let max = 0;
    for (let j = 0; j < w; j++) max = Math.max(max, e0[i * D + start + j]!);
    for (let j = 0; j < w; j++) {
      const x = e0[i * D + start + j]!;
      base[i * w + j] = argmax ? x : invT === 1 ? x / max : (x / max) ** invT;
    }
  }
  const b = new Float64Array(w);
  const shares = (rows: number): Float64Array => {
    const s = new Float64Array(w);
    const beta = b.map((x) => Math.exp(x));
    for (let i = 0; i < rows; i++) {
      const o = i * w;
      if (argmax) {
        let best = 0;
        let bv = -Infinity;
        for (let j = 0; j < w; j++) {
          const v = base[o + j]! * beta[j]!;
          if (v > bv) {
            bv = v;
            best = j;
          }
        }
        s[best]!++;
        continue;
      }
      let tot = 0;
      for (let j = 0; j < w; j++) tot += base[o + j]! * beta[j]!;
      const inv = 1 / tot;
      for (let j = 0; j < w; j++) s[j]! += base[o + j]! * beta[j]! * inv;
    }
    for (let j = 0; j < w; j++) s[j]! /= rows;
    return s;
  };
  const tvd = (s: Float64Array, t: Float64Array): number => {
    let d = 0;
    for (let j = 0; j < w; j++) d += Math.abs(s[j]! - t[j]!);
    return d / 2;
  };
  let s = shares(P);
  // James-Stein's own B - 2 for a category's shares (B - 2 of them are free to move towards the pilot: no shrinkage
  // for a two-valued column). With B, as the numeric transports use, the categories were over-shrunk towards a
  // model that DP-SGD barely trained on small tables: epsilon 1, seeds 1-3, CPS 1-TVD 0.932 -> 0.944 and TSTR AUC
  // 0.526 -> 0.598, heart-cleveland 1-TVD 0.945 -> 0.960; pima, insurance, german credit, credit-data, UCI Adult
  // within 0.01 (benchmarks/RESULTS.md)
  const shrunk = shrinkShares(st.target, s, st.noiseVar, Math.max(0, st.target.length - 2)).shares;
  // slots with (almost) no pilot mass cannot be reached: renormalise the target over the others
  const reachable = s.map((x) => (x > 1 / (P * 100) ? 1 : 0));
  const target = new Float64Array(w);
  let tot = 0;
  for (let j = 0; j < w; j++) if (reachable[j]) tot += shrunk[j]!;
  for (let j = 0; j < w; j++) target[j] = reachable[j] && tot > 0 ? shrunk[j]! / tot : reachable[j] ? s[j]! : 0;
  const before = tvd(s, st.target);
  const step = (): void => {
    for (let j = 0; j < w; j++) {
      if (!reachable[j]) continue;
      const d = Math.log(Math.max(target[j]!, 1e-9) / Math.max(s[j]!, 1e-9));
      b[j] = Math.max(-BIAS_LIMIT, Math.min(BIAS_LIMIT, b[j]! + (argmax ? 0.5 * d : d)));
    }
    // softmax is shift-invariant: keep the shifts centred
    let mean = 0;
    for (let j = 0; j < w; j++) mean += b[j]!;
    mean /= w;
    for (let j = 0; j < w; j++) b[j] = Math.max(-BIAS_LIMIT, Math.min(BIAS_LIMIT, b[j]! - mean));
  };
  const coarse = Math.max(1, Math.floor(P / 4));
  let it = 0;
  for (; it < iterations && tvd(s, target) > TOLERANCE; it++) {
    step();
    s = shares(coarse);
  }
  s = shares(P);
  for (let k = 0; k < iterations && tvd(s, target) > TOLERANCE; k++) {
    step();
    s = shares(P);
  }
  for (let j = 0; j < w; j++) bias[start + j] = b[j]!;
  return { before, after: tvd(s, st.target) };
}

/**
 * The logit shift of one slot k of a softmax span that multiplies the pilot's mean probability of k by `ratio`
 * (the other slots keep their shifts in `bias`; temperature 0: the share of rows whose argmax is k). Bisection on
 * the shift, which the mean probability rises with; clamped to +-BIAS_LIMIT.
 */
export function fitSlotShift(e0: Float32Array, P: number, D: number, span: { start: number; width: number }, k: number, T: number, bias: Float32Array, ratio: number): number {
  const { start, width: w } = span;
  const argmax = T === 0;
  const invT = argmax ? 1 : 1 / T;
  // per row: slot k's weight and the others' (sum, or their largest for argmax), with the other slots' shifts
  const xk = new Float64Array(P);
  const rest = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    let max = 0;
    for (let j = 0; j < w; j++) max = Math.max(max, e0[i * D + start + j]!);
    let r = 0;
    for (let j = 0; j < w; j++) {
      const x = e0[i * D + start + j]!;
      const v = (argmax ? x : invT === 1 ? x / max : (x / max) ** invT) * Math.exp(bias[start + j]!);
      if (j === k) xk[i] = v / Math.exp(bias[start + k]!);
      else r = argmax ? Math.max(r, v) : r + v;
    }
    rest[i] = r;
  }
  const share = (logBeta: number): number => {
    const beta = Math.exp(logBeta);
    let s = 0;
    for (let i = 0; i < P; i++) {
      const v = xk[i]! * beta;
      s += argmax ? (v > rest[i]! ? 1 : 0) : v / (v + rest[i]!);
    }
    return s / P;
  };
  const target = Math.min(1, Math.max(0, share(bias[start + k]!) * ratio));
  let lo = -BIAS_LIMIT;
  let hi = BIAS_LIMIT;
  for (let it = 0; it < 50; it++) {
    const mid = (lo + hi) / 2;
    if (share(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Tensor names of a stored calibration in a model's weights file (beside the network's parameters). */
const PREFIX = 'calibration/';

/** What a model directory stores of a calibration fitted at fit time (temperature 1). */
export interface StoredCalibrationInfo {
  kind: 'privsynth.calibration';
  version: 1;
  temperature: number;
  pilotRows: number;
  columns: ColumnCalibration[];
}

/**
 * A fitted calibration as float32 tensors for the model's weights file: the logit shifts, and per numeric
 * column (by encoder column index) its transport's curve. Knot positions are stored as two float32s
 * (hi + lo) so that large values (epoch milliseconds) keep float64 precision.
 */
export function calibrationTensors(cal: SamplerCalibration, encoderColumns: readonly string[]): NamedWeight[] {
  const out: NamedWeight[] = [{ name: `${PREFIX}bias`, shape: [cal.bias.length], data: Float32Array.from(cal.bias) }];
  for (const [column, t] of cal.transports) {
    const j = encoderColumns.indexOf(column);
    const s = t.state();
    const hi = Float32Array.from(s.px);
    const lo = Float32Array.from(s.px, (x, i) => x - hi[i]!);
    const p = `${PREFIX}transport/${j}/`;
    const vec = (name: string, data: Float32Array): NamedWeight => ({ name: p + name, shape: [data.length], data });
    out.push(vec('px_hi', hi), vec('px_lo', lo), vec('pf', Float32Array.from(s.pf)), vec('pg', Float32Array.from(s.pg)), vec('atom_point', Float32Array.from(s.atomPoint)), vec('tvd', Float32Array.from([s.tvdBefore, s.tvdAfter])));
  }
  return out;
}

/** The calibration stored in a weights file (calibrationTensors), or null when there is none. */
export function storedCalibration(weights: readonly NamedWeight[], encoderColumns: readonly string[], width: number): { bias: Float32Array; transports: Map<string, MonotoneTransport> } | null {
  const byName = new Map(weights.filter((w) => w.name.startsWith(PREFIX)).map((w) => [w.name, w.data]));
  const bias = byName.get(`${PREFIX}bias`);
  if (!bias || bias.length !== width) return null;
  const transports = new Map<string, MonotoneTransport>();
  encoderColumns.forEach((column, j) => {
    const p = `${PREFIX}transport/${j}/`;
    const hi = byName.get(p + 'px_hi');
    if (!hi) return;
    const lo = byName.get(p + 'px_lo');
    const pf = byName.get(p + 'pf');
    const pg = byName.get(p + 'pg');
    const ap = byName.get(p + 'atom_point');
    const tvd = byName.get(p + 'tvd');
    const n = hi.length;
    const damaged = (why: string): ModelError => new ModelError(msg.storedCalibrationDamaged(column, why), { location: { column }, hint: msg.HINT_FIT_AGAIN });
    if (!lo || !pf || !pg || !ap || !tvd || lo.length !== n || pf.length !== n || pg.length !== n || n < 2) throw damaged('its tensors are missing or of different lengths');
    const px = Float64Array.from(hi, (x, i) => x + lo[i]!);
    for (let i = 1; i < n; i++) if (!(px[i]! >= px[i - 1]! && pf[i]! >= pf[i - 1]! && pg[i]! >= pg[i - 1]!)) throw damaged('its curve is not monotone');
    if (!(pf[0]! >= 0 && pg[0]! >= 0 && pf[n - 1]! <= 1 + 1e-6 && pg[n - 1]! <= 1 + 1e-6)) throw damaged('its probabilities leave [0, 1]');
    const atomPoint = Array.from(ap);
    if (!atomPoint.every((k) => Number.isInteger(k) && k >= 0 && k + 1 < n && px[k] === px[k + 1])) throw damaged('its atoms do not match its knots');
    transports.set(column, MonotoneTransport.fromState({ px, pf: Float64Array.from(pf), pg: Float64Array.from(pg), atoms: atomPoint.map((k) => px[k]!), atomPoint, tvdBefore: tvd[0]!, tvdAfter: tvd[1]! }));
  });
  return { bias: Float32Array.from(bias), transports };
}

/** Install shifts and transports on a sampler. */
export function installCalibration(sampler: VaeSampler, cal: { bias: Float32Array; transports: Map<string, MonotoneTransport> }): void {
  sampler.setCalibration(cal.bias, cal.transports.size ? (column, values, r) => cal.transports.get(column)?.apply(values, r) : undefined);
}
