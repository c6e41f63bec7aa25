import { PrivacyError, PrivacyStateVersionError } from '../errors.js';
import { DEFAULT_ORDERS } from './analysis/DEFAULT_ORDERS.js';
import { rdpSampledGaussian } from './analysis/rdpSampledGaussian.js';
import { rdpToEpsilon } from './analysis/rdpToEpsilon.js';
import { zcdpRdp } from './analysis/zcdp.js';
import * as msg from '../messages.js';

/** One entry of the accountant's history. */
export type AccountantEntry =
  | { kind: 'subsampled_gaussian'; sigma: number; q: number; steps: number }
  | { kind: 'zcdp'; rho: number; label: string };

/** An additive failure probability (e.g. from a thresholded histogram), outside the RDP curve. */
export interface DeltaExtra {
  label: string;
  delta: number;
}

export interface AccountantEpsilon {
  epsilon: number;
  bestOrder: number | null;
  /** delta used in the RDP conversion (the argument of getEpsilon). */
  conversionDelta: number;
  /** The full delta of the guarantee: conversionDelta + sum of the extra deltas. */
  delta: number;
}

export interface RdpAccountantJson {
  mechanism: 'rdp';
  version: 1;
  history: AccountantEntry[];
  deltaExtra: DeltaExtra[];
}

/**
 * Renyi DP accountant: state only (the history), the math lives in `analysis/`.
 *
 * Like Opacus `RDPAccountant`: `step()` records one DP-SGD step and merges consecutive steps with the same
 * (sigma, q); `getEpsilon(delta)` sums the RDP curves of every entry over {@link DEFAULT_ORDERS}
 * (RDP composes additively, Mironov 2017 Prop. 1) and converts with Balle et al. 2020 Thm 21.
 * zCDP entries contribute alpha * rho at every order. Extra deltas are added to the conversion delta.
 */
export class RdpAccountant {
  readonly mechanism = 'rdp' as const;
  private readonly history: AccountantEntry[] = [];
  private readonly extraDeltas: DeltaExtra[] = [];

  /** Records `steps` (default 1) DP-SGD steps with noise multiplier sigma at sample rate q. */
  step(sigma: number, q: number, steps = 1): this {
    return this.add({ kind: 'subsampled_gaussian', sigma, q, steps });
  }

  /** Appends an entry; a subsampled Gaussian entry with the same (sigma, q) as the last one is merged into it. */
  add(entry: AccountantEntry): this {
    const e = checkEntry(entry);
    const last = this.history[this.history.length - 1];
    if (e.kind === 'subsampled_gaussian' && last?.kind === 'subsampled_gaussian' && last.sigma === e.sigma && last.q === e.q) {
      this.history[this.history.length - 1] = { ...last, steps: last.steps + e.steps };
    } else {
      this.history.push(e);
    }
    return this;
  }

  /** Records an additive failure probability (counted in the reported delta, not in the RDP curve). */
  addDelta(label: string, delta: number): this {
    if (!(delta >= 0 && delta < 1)) throw new PrivacyError(msg.extraDeltaOutOfRange(label, delta));
    this.extraDeltas.push({ label, delta });
    return this;
  }

  get entries(): readonly AccountantEntry[] {
    return this.history.map((e) => ({ ...e }));
  }

  get deltaExtra(): readonly DeltaExtra[] {
    return this.extraDeltas.map((d) => ({ ...d }));
  }

  /** Sum of the extra deltas. */
  get extraDelta(): number {
    return this.extraDeltas.reduce((s, d) => s + d.delta, 0);
  }

  /** The composed RDP curve at `orders`. */
  getRdp(orders: readonly number[] = DEFAULT_ORDERS): number[] {
    return orders.map((a) =>
      this.history.reduce((sum, e) => sum + (e.kind === 'zcdp' ? zcdpRdp(e.rho, a) : rdpSampledGaussian(e, a)), 0),
    );
  }

  /**
   * (epsilon, delta + extra deltas)-DP of everything recorded, with `delta` used in the conversion.
   * An empty history (or one that spends nothing) gives epsilon 0.
   */
  getEpsilon(delta: number, orders: readonly number[] = DEFAULT_ORDERS): AccountantEpsilon {
    const rdp = this.getRdp(orders);
    const extra = this.extraDelta;
    if (rdp.every((r) => r === 0)) {
      if (!(delta > 0 && delta < 1)) throw new PrivacyError(msg.deltaOutOfRange(delta));
      return { epsilon: 0, bestOrder: null, conversionDelta: delta, delta: delta + extra };
    }
    const { epsilon, bestOrder } = rdpToEpsilon(orders, rdp, delta);
    return { epsilon, bestOrder, conversionDelta: delta, delta: delta + extra };
  }

  toJSON(): RdpAccountantJson {
    return { mechanism: 'rdp', version: 1, history: this.history.map((e) => ({ ...e })), deltaExtra: this.extraDeltas.map((d) => ({ ...d })) };
  }

  /**
   * Restores an accountant saved by {@link toJSON}.
   * @throws PrivacyError E_MODEL_VERSION for another mechanism or version, E_PRIVACY for malformed entries.
   */
  static fromJSON(json: unknown): RdpAccountant {
    const j = json as Partial<RdpAccountantJson> | null;
    if (typeof j !== 'object' || j === null) throw new PrivacyError(msg.ACCOUNTANT_NOT_AN_OBJECT);
    if (j.mechanism !== 'rdp') {
      throw new PrivacyStateVersionError(msg.accountantMechanism(JSON.stringify(j.mechanism)), { hint: msg.HINT_OTHER_ACCOUNTANT });
    }
    if (j.version !== 1) {
      throw new PrivacyStateVersionError(msg.accountantVersion(JSON.stringify(j.version)), { hint: msg.HINT_UPGRADE_OR_RETRAIN });
    }
    if (!Array.isArray(j.history) || !Array.isArray(j.deltaExtra)) throw new PrivacyError(msg.ACCOUNTANT_NO_HISTORY);
    const acc = new RdpAccountant();
    // push directly: a saved history is restored as saved, without re-merging
    for (const e of j.history) acc.history.push(checkEntry(e as AccountantEntry));
    for (const d of j.deltaExtra) {
      const dd = d as Partial<DeltaExtra>;
      if (typeof dd?.label !== 'string') throw new PrivacyError(msg.ACCOUNTANT_DELTA_NO_LABEL);
      acc.addDelta(dd.label, dd.delta as number);
    }
    return acc;
  }
}

function checkEntry(e: AccountantEntry): AccountantEntry {
  if (typeof e !== 'object' || e === null) throw new PrivacyError(msg.ACCOUNTANT_ENTRY_NOT_AN_OBJECT);
  if (e.kind === 'subsampled_gaussian') {
    if (!(e.sigma >= 0)) throw new PrivacyError(msg.entrySigmaNegative(e.sigma));
    if (!(e.q >= 0 && e.q <= 1)) throw new PrivacyError(msg.entrySampleRateOutOfRange(e.q));
    if (!(Number.isInteger(e.steps) && e.steps >= 0)) throw new PrivacyError(msg.stepsNotNonNegativeInt(e.steps));
    return { kind: 'subsampled_gaussian', sigma: e.sigma, q: e.q, steps: e.steps };
  }
  if (e.kind === 'zcdp') {
    if (!(e.rho >= 0)) throw new PrivacyError(msg.entryRhoNegative(e.rho));
    if (typeof e.label !== 'string') throw new PrivacyError(msg.ZCDP_ENTRY_NO_LABEL);
    return { kind: 'zcdp', rho: e.rho, label: e.label };
  }
  throw new PrivacyError(msg.unknownAccountantEntry(JSON.stringify((e as { kind?: unknown }).kind)));
}
