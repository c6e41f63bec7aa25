/**
 * membership_inference: two black-box attacks that only see the synthetic table (and, for the second, a
 * reference sample of the population) and must tell train rows (members) from holdout rows
 * (non-members). Targets: equal numbers of members and non-members; the reference is the part of the
 * holdout not used as targets.
 *
 * (a) distance: score(x) = -DCR(x, synthetic), Gower distance to the closest synthetic row.
 * (b) density ratio (DOMIAS, van Breugel et al. 2023): score(x) = log p_syn(x) - log p_ref(x), each density
 *     a Gaussian-kernel k-NN estimate on the Gower-encoded space,
 *     p_S(x) = 1/|S| * sum over the k nearest s in S of exp(-d(x, s)^2 / (2 h^2)),
 *     bandwidth h = median distance from the targets to their k-th nearest reference row.
 *
 * Reported per attack: ROC AUC with a seeded stratified bootstrap 95% CI, TPR at FPR 1% and 0.1%,
 * downsampled ROC points, and an empirical epsilon lower bound from Clopper-Pearson bounds (simultaneous
 * over thresholds and both attacks, see empiricalEpsilonBound). The headline
 * value is the larger AUC of the two attacks.
 */
import type { Rng } from '../../rng.js';
import { nearestNeighbours, type Neighbours } from '../gower.js';
import { takePrepared } from '../prepare.js';
import type { PrivacyContext } from '../privacyContext.js';
import { bootstrapAuc, empiricalEpsilonBound, rocAuc, rocCounts, rocCurvePoints, tprAtFpr, type EpsilonBound } from '../stats/roc.js';
import { quantileSorted, sampleIndices } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Warning } from '../types.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'membership_inference',
  kind: 'privacy',
  goal: 'target',
  ideal: 0.5,
  range: [0, 1],
  description: 'Largest ROC AUC of two membership-inference attacks on the synthetic data (distance to closest synthetic row; DOMIAS-style density ratio). 0.5 = no better than guessing.',
};

export interface AttackResult {
  attack: 'distance' | 'density_ratio';
  auc: number;
  aucCi95: [number, number];
  tprAtFpr1pct: number;
  tprAtFpr01pct: number;
  /**
   * Lower bound on epsilon implied by the attack (Clopper-Pearson, simultaneous over the thresholds
   * tried and over both attacks: the larger of the two holds at the stated confidence).
   */
  epsilonLowerBound: number;
  epsilonBound: EpsilonBound;
  roc: { fpr: number[]; tpr: number[] };
}

export interface MiaDetails {
  members: number;
  nonMembers: number;
  referenceRows: number;
  k: number;
  bandwidth: number | null;
  attacks: AttackResult[];
}

export interface MiaSettings {
  maxTargets: number;
  k: number;
  bootstrapRounds: number;
  /** delta of the privacy claim the empirical epsilon bound is computed against (0 when none). */
  delta?: number;
}

/** Attacks whose epsilon bounds are combined: the Bonferroni factor of the bound's confidence. */
const ATTACKS = 2;
/** Confidence of the empirical epsilon bound (over both attacks and all thresholds together). */
export const EPSILON_BOUND_CONFIDENCE = 0.95;

function summarizeAttack(attack: AttackResult['attack'], scores: Float64Array, labels: Uint8Array, rng: Rng, rounds: number, delta: number): AttackResult {
  const counts = rocCounts(scores, labels);
  const bound = empiricalEpsilonBound(counts, { alpha: (1 - EPSILON_BOUND_CONFIDENCE) / ATTACKS, delta });
  return {
    attack,
    auc: rocAuc(scores, labels),
    aucCi95: bootstrapAuc(scores, labels, rng, rounds),
    tprAtFpr1pct: tprAtFpr(counts, 0.01),
    tprAtFpr01pct: tprAtFpr(counts, 0.001),
    epsilonLowerBound: bound.epsilon,
    epsilonBound: { ...bound, confidence: EPSILON_BOUND_CONFIDENCE },
    roc: rocCurvePoints(counts, 101),
  };
}

/** log( (1/N) * sum_j exp(-d_j^2 / (2 h^2)) ) over the k neighbours of query i. */
function logKnnDensity(nb: Neighbours, i: number, h: number, nRef: number): number {
  const k = nb.k;
  let mx = -Infinity;
  const terms: number[] = [];
  for (let j = 0; j < k; j++) {
    const d = nb.dist[i * k + j]!;
    if (d === Infinity) continue;
    const t = -(d * d) / (2 * h * h);
    terms.push(t);
    if (t > mx) mx = t;
  }
  if (terms.length === 0) return -Infinity;
  let s = 0;
  for (const t of terms) s += Math.exp(t - mx);
  return mx + Math.log(s) - Math.log(nRef);
}

export function compute(ctx: PrivacyContext, settings: MiaSettings, rng: Rng, onProgress?: (f: number) => void): MetricOutput & { details: MiaDetails | null } {
  const warnings: Warning[] = [];
  const { data } = ctx;
  const holdoutOrder = sampleIndices(data.holdout.n, data.holdout.n, rng.fork('holdout-split'));
  const nT = Math.min(Math.floor(data.holdout.n / 2), settings.maxTargets, data.train.n);
  if (nT < 2) {
    warnings.push({ code: 'METRIC_SKIPPED', metric: descriptor.name, message: msg.membershipNeedsHoldout(data.holdout.n) });
    return { value: null, details: null, warnings };
  }
  const nonMemberIdx = holdoutOrder.slice(0, nT);
  const referenceIdx = holdoutOrder.slice(nT);
  const memberIdx = sampleIndices(data.train.n, nT, rng.fork('members'));
  const targetsMembers = ctx.encoder.encode(takePrepared(data.train, memberIdx));
  const targetsNon = ctx.encoder.encode(takePrepared(data.holdout, nonMemberIdx));
  const reference = ctx.encoder.encode(takePrepared(data.holdout, referenceIdx));
  const k = Math.max(1, Math.min(settings.k, data.synthetic.n, referenceIdx.length));
  const n = 2 * nT;
  const labels = new Uint8Array(n);
  labels.fill(1, 0, nT);
  const nbSyn = [
    nearestNeighbours(targetsMembers, ctx.synthetic, k, { onProgress: (f) => onProgress?.(0.4 * f) }),
    nearestNeighbours(targetsNon, ctx.synthetic, k, { onProgress: (f) => onProgress?.(0.4 + 0.4 * f) }),
  ];
  const nbRef = [nearestNeighbours(targetsMembers, reference, k), nearestNeighbours(targetsNon, reference, k)];
  onProgress?.(0.9);

  // (a) distance attack.
  const dist = new Float64Array(n);
  for (let i = 0; i < nT; i++) {
    dist[i] = -nbSyn[0]!.dist[i * k]!;
    dist[nT + i] = -nbSyn[1]!.dist[i * k]!;
  }
  // (b) density ratio.
  const kth: number[] = [];
  for (const nb of nbRef) for (let i = 0; i < nT; i++) kth.push(nb.dist[i * k + k - 1]!);
  const sortedK = Float64Array.from(kth.filter((d) => Number.isFinite(d))).sort();
  const h = Math.max(sortedK.length ? quantileSorted(sortedK, 0.5) : 0, 1e-3);
  const ratio = new Float64Array(n);
  for (let g = 0; g < 2; g++) {
    for (let i = 0; i < nT; i++) {
      ratio[g * nT + i] = logKnnDensity(nbSyn[g]!, i, h, data.synthetic.n) - logKnnDensity(nbRef[g]!, i, h, referenceIdx.length);
    }
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(ratio[i]!)) ratio[i] = ratio[i]! > 0 ? 1e300 : -1e300;
  const attacks = [
    summarizeAttack('distance', dist, labels, rng.fork('boot-distance'), settings.bootstrapRounds, settings.delta ?? 0),
    summarizeAttack('density_ratio', ratio, labels, rng.fork('boot-density'), settings.bootstrapRounds, settings.delta ?? 0),
  ];
  onProgress?.(1);
  return {
    value: Math.max(...attacks.map((a) => a.auc)),
    details: { members: nT, nonMembers: nT, referenceRows: referenceIdx.length, k, bandwidth: h, attacks },
    warnings,
  };
}
