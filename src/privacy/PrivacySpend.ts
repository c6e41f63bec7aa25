import { PrivacyError } from '../errors.js';
import { rdpSampledGaussian } from './analysis/rdpSampledGaussian.js';
import { zcdpRdp } from './analysis/zcdp.js';
import * as msg from '../messages.js';

/** Mechanisms whose cost is a zCDP rho (RDP alpha * rho at every order). */
export type ZcdpMechanism = 'gaussian' | 'thresholded_gaussian_histogram' | 'zcdp';

/** A release that costs rho-zCDP, plus an optional additive failure probability (e.g. a histogram threshold). */
export interface ZcdpSpend {
  /** What was released, e.g. `categories:city` or `bounds:income`. Must not contain data values. */
  label: string;
  mechanism: ZcdpMechanism;
  rho: number;
  /** Additive delta this release needs on top of the RDP conversion (stability-based thresholds). */
  deltaSpent?: number;
  /** Free-form JSON-safe details (std, sensitivity, threshold, bins); never raw values. */
  params?: Readonly<Record<string, unknown>>;
}

/** DP-SGD: `steps` steps of the Poisson-subsampled Gaussian with noise multiplier sigma and rate q. */
export interface DpSgdSpend {
  label: string;
  mechanism: 'dp_sgd';
  /** Noise multiplier: noise std / clipNorm. */
  sigma: number;
  /** Poisson sampling rate. */
  q: number;
  steps: number;
  /** Per-example L2 clipping norm (recorded for provenance; the RDP depends only on sigma, q, steps). */
  clipNorm: number;
  deltaSpent?: number;
  params?: Readonly<Record<string, unknown>>;
}

/**
 * One privacy-consuming release as recorded in the {@link PrivacyLedger}. Every DP mechanism in
 * `src/privacy/mechanisms/` returns one of these next to its release.
 * Adjacency throughout privsynth: add or remove one row.
 */
export type PrivacySpend = ZcdpSpend | DpSgdSpend;

/** RDP of one spend at order alpha: alpha * rho, or steps * RDP_SGM(q, sigma, alpha). */
export function spendRdp(spend: PrivacySpend, alpha: number): number {
  if (spend.mechanism === 'dp_sgd') return rdpSampledGaussian({ q: spend.q, sigma: spend.sigma, steps: spend.steps }, alpha);
  return zcdpRdp(spend.rho, alpha);
}

const ZCDP_MECHANISMS: readonly string[] = ['gaussian', 'thresholded_gaussian_histogram', 'zcdp'];

/**
 * Checks that `value` is a well-formed spend (used on input and when loading JSON) and returns a clean copy.
 * @throws PrivacyError (E_PRIVACY) naming the offending field.
 */
export function validateSpend(value: unknown): PrivacySpend {
  const where = (why: string): never => {
    throw new PrivacyError(msg.invalidSpend(why));
  };
  if (typeof value !== 'object' || value === null) return where(msg.SPEND_NOT_AN_OBJECT);
  const v = value as Record<string, unknown>;
  if (typeof v.label !== 'string' || v.label.length === 0) where(msg.SPEND_LABEL_EMPTY);
  const label = v.label as string;
  const num = (key: string, ok: (x: number) => boolean, rule: string): number => {
    const x = v[key];
    if (typeof x !== 'number' || !ok(x)) where(msg.spendFieldInvalid(label, key, rule, String(x)));
    return x as number;
  };
  const deltaSpent = v.deltaSpent === undefined ? undefined : num('deltaSpent', (x) => x >= 0 && x < 1, 'in [0, 1)');
  let params: Record<string, unknown> | undefined;
  if (v.params !== undefined) {
    if (typeof v.params !== 'object' || v.params === null || Array.isArray(v.params)) where(msg.spendParamsNotObject(label));
    params = { ...(v.params as Record<string, unknown>) };
  }
  const extra = { ...(deltaSpent !== undefined ? { deltaSpent } : {}), ...(params ? { params } : {}) };
  if (v.mechanism === 'dp_sgd') {
    return {
      label,
      mechanism: 'dp_sgd',
      sigma: num('sigma', (x) => x >= 0, 'a number >= 0'),
      q: num('q', (x) => x >= 0 && x <= 1, 'in [0, 1]'),
      steps: num('steps', (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer'),
      clipNorm: num('clipNorm', (x) => x > 0 && Number.isFinite(x), 'a positive number'),
      ...extra,
    };
  }
  if (typeof v.mechanism === 'string' && ZCDP_MECHANISMS.includes(v.mechanism)) {
    return { label, mechanism: v.mechanism as ZcdpMechanism, rho: num('rho', (x) => x >= 0, 'a number >= 0'), ...extra };
  }
  return where(msg.spendUnknownMechanism(label, JSON.stringify(v.mechanism)));
}
