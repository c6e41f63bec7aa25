import { PrivacyError, BudgetError, PrivacyStateVersionError } from '../errors.js';
import { DEFAULT_ORDERS } from './analysis/DEFAULT_ORDERS.js';
import { rdpToEpsilon } from './analysis/rdpToEpsilon.js';
import { type PrivacySpend, spendRdp, validateSpend } from './PrivacySpend.js';
import * as msg from '../messages.js';

/** The (epsilon, delta) the user asked for. */
export interface PrivacyTarget {
  epsilon: number;
  delta: number;
}

/** A ledger entry with its share of the total epsilon. */
export type AttributedSpend = PrivacySpend & {
  /** This entry's RDP at the optimal order alpha*. */
  rdpAtBestOrder: number;
  /** This entry's share of the total epsilon; the shares sum to `total().epsilon`. */
  epsilonAttributed: number;
};

export interface LedgerTotal {
  differentiallyPrivate: boolean;
  accountant: 'rdp';
  /** Total epsilon of all entries composed (Infinity when not private or over the delta budget). */
  epsilon: number;
  /** Total delta: conversionDelta + sum of the entries' deltaSpent (the target delta while within it). */
  delta: number;
  /** delta used in the RDP → (epsilon, delta) conversion: target delta minus the entries' deltaSpent. */
  conversionDelta: number;
  /** Optimal Renyi order alpha*; null when nothing was spent or there is no guarantee. */
  bestOrder: number | null;
  entries: AttributedSpend[];
}

export const LEDGER_FORMAT = 'privsynth.privacy-ledger';
export const LEDGER_VERSION = 1;

/** JSON written to a model manifest; `differentiallyPrivate` comes first so nobody misses it. */
export type PrivacyLedgerJson =
  | {
      differentiallyPrivate: true;
      format: typeof LEDGER_FORMAT;
      version: 1;
      accountant: 'rdp';
      adjacency: 'add/remove one row';
      target: PrivacyTarget;
      total: { epsilon: number | null; delta: number; conversionDelta: number; bestOrder: number | null };
      entries: Array<PrivacySpend & { epsilonAttributed: number | null }>;
    }
  | {
      differentiallyPrivate: false;
      format: typeof LEDGER_FORMAT;
      version: 1;
      guarantee: 'none';
      warning: string;
      target: null;
      entries: PrivacySpend[];
    };

const NOT_PRIVATE_WARNING = 'NOT differentially private: this model was trained without a privacy budget and carries no privacy guarantee.';

/**
 * The privacy budget ledger recorded in a model manifest: every release that read private data, composed.
 *
 * Composition: every entry's RDP curve (alpha * rho for zCDP releases, steps * RDP_SGM for DP-SGD) is summed over
 * {@link DEFAULT_ORDERS} and converted with Balle et al. 2020 Thm 21 at conversionDelta = target.delta -
 * sum(deltaSpent); the reported delta is conversionDelta + sum(deltaSpent) (additive failure probabilities of
 * thresholded histograms compose by the union bound, as in approximate zCDP, Bun & Steinke 2016 Def. 1.2).
 *
 * Attribution (how `epsilonAttributed` is defined): at the optimal order alpha*,
 *   total = sum_i rdp_i(alpha*) + c(alpha*, conversionDelta),
 * where c is the conversion term. Entry i is attributed rdp_i(alpha*) plus the share rdp_i(alpha*) / sum_j rdp_j(alpha*)
 * of c, i.e. epsilonAttributed_i = total * rdp_i(alpha*) / sum_j rdp_j(alpha*), so the entries sum to the total
 * (the last spending entry takes the floating-point remainder, so the sum is exact up to one rounding). This is a bookkeeping
 * convention for reports, not a per-entry privacy guarantee: entries do not compose linearly in epsilon.
 *
 * `PrivacyLedger.notPrivate()` is the no-DP mode: it still records entries, but totals are epsilon = Infinity
 * and it serialises as `{ differentiallyPrivate: false, guarantee: 'none', ... }`.
 */
export class PrivacyLedger {
  readonly target: PrivacyTarget | null;
  private readonly spends: PrivacySpend[] = [];

  /** A DP ledger with a target budget. @throws PrivacyError E_PRIVACY for a non-positive epsilon or delta outside (0, 1). */
  constructor(target: PrivacyTarget) {
    if (!(target && target.epsilon > 0 && Number.isFinite(target.epsilon))) {
      throw new PrivacyError(msg.targetEpsilonInvalid(target?.epsilon), { hint: msg.HINT_TYPICAL_EPSILON });
    }
    if (!(target.delta > 0 && target.delta < 1)) {
      throw new PrivacyError(msg.targetDeltaInvalid(target.delta), { hint: msg.HINT_TARGET_DELTA });
    }
    this.target = { epsilon: target.epsilon, delta: target.delta };
  }

  /** The no-DP ledger: no budget, no guarantee, never mistaken for private. */
  static notPrivate(): PrivacyLedger {
    const ledger = Object.create(PrivacyLedger.prototype) as PrivacyLedger;
    (ledger as { target: PrivacyTarget | null }).target = null;
    (ledger as unknown as { spends: PrivacySpend[] }).spends = [];
    return ledger;
  }

  get differentiallyPrivate(): boolean {
    return this.target !== null;
  }

  get entries(): readonly PrivacySpend[] {
    return this.spends.map((s) => ({ ...s }));
  }

  /**
   * Records a release. A DP-SGD spend with the same label, sigma, q and clipNorm as the previous entry (and no
   * deltaSpent) is merged into it by adding steps.
   * @throws PrivacyError E_PRIVACY for a malformed spend.
   */
  add(spend: PrivacySpend): this {
    const s = validateSpend(spend);
    const last = this.spends[this.spends.length - 1];
    if (
      s.mechanism === 'dp_sgd' && last?.mechanism === 'dp_sgd' &&
      last.label === s.label && last.sigma === s.sigma && last.q === s.q && last.clipNorm === s.clipNorm &&
      !last.deltaSpent && !s.deltaSpent && JSON.stringify(last.params) === JSON.stringify(s.params)
    ) {
      this.spends[this.spends.length - 1] = { ...last, steps: last.steps + s.steps };
    } else {
      this.spends.push(s);
    }
    return this;
  }

  /** Sum of rho over the zCDP entries (what `calibrateNoise` takes as `extraRho`). */
  get zcdpRho(): number {
    return this.spends.reduce((sum, s) => sum + (s.mechanism === 'dp_sgd' ? 0 : s.rho), 0);
  }

  /** Sum of the entries' additive deltas. */
  get deltaSpent(): number {
    return this.spends.reduce((sum, s) => sum + (s.deltaSpent ?? 0), 0);
  }

  /** Composes all entries; see the class comment for the attribution rule. */
  total(): LedgerTotal {
    return composeSpends(this.spends, this.target);
  }

  /** Whether the recorded entries plus `more` stay within the target. Always true for the no-DP ledger. */
  canAfford(...more: PrivacySpend[]): boolean {
    if (!this.target) return true;
    const t = composeSpends([...this.spends, ...more.map(validateSpend)], this.target);
    return t.epsilon <= this.target.epsilon && t.conversionDelta > 0;
  }

  /**
   * @throws PrivacyError E_BUDGET naming the largest entries when the recorded spending exceeds the target.
   * No-op for the no-DP ledger.
   */
  assertWithinBudget(): void {
    if (!this.target || this.canAfford()) return;
    const t = this.total();
    const top = [...t.entries]
      .sort((a, b) => b.epsilonAttributed - a.epsilonAttributed)
      .slice(0, 3)
      .map((e) => `${e.label} (${fmt(e.epsilonAttributed)})`)
      .join(', ');
    throw new BudgetError(
      msg.budgetExceeded(fmt(t.epsilon), t.delta.toExponential(2), this.target.epsilon, this.target.delta.toExponential(2), top),
      { hint: msg.HINT_BUDGET_EXCEEDED },
    );
  }

  toJSON(): PrivacyLedgerJson {
    if (!this.target) {
      return { differentiallyPrivate: false, format: LEDGER_FORMAT, version: 1, guarantee: 'none', warning: NOT_PRIVATE_WARNING, target: null, entries: this.entries.slice() };
    }
    const t = this.total();
    return {
      differentiallyPrivate: true,
      format: LEDGER_FORMAT,
      version: 1,
      accountant: 'rdp',
      adjacency: 'add/remove one row',
      target: { ...this.target },
      total: { epsilon: finiteOrNull(t.epsilon), delta: t.delta, conversionDelta: t.conversionDelta, bestOrder: t.bestOrder },
      entries: t.entries.map(({ rdpAtBestOrder: _r, epsilonAttributed, ...spend }) => ({ ...spend, epsilonAttributed: finiteOrNull(epsilonAttributed) })),
    };
  }

  /**
   * Restores a ledger saved by {@link toJSON}. Totals are recomputed from the entries, never trusted from the file.
   * @throws PrivacyError E_MODEL_VERSION for another format or version, E_PRIVACY for malformed content.
   */
  static fromJSON(json: unknown): PrivacyLedger {
    const j = json as Record<string, unknown> | null;
    if (typeof j !== 'object' || j === null) throw new PrivacyError(msg.LEDGER_NOT_AN_OBJECT);
    if (j.format !== LEDGER_FORMAT || j.version !== LEDGER_VERSION) {
      throw new PrivacyStateVersionError(msg.ledgerVersionUnsupported(JSON.stringify(j.format), JSON.stringify(j.version), LEDGER_FORMAT, LEDGER_VERSION), {
        hint: msg.HINT_LEDGER_VERSION,
      });
    }
    if (typeof j.differentiallyPrivate !== 'boolean') throw new PrivacyError(msg.LEDGER_NO_DP_FLAG);
    if (!Array.isArray(j.entries)) throw new PrivacyError(msg.LEDGER_NO_ENTRIES);
    let ledger: PrivacyLedger;
    if (j.differentiallyPrivate) {
      const target = j.target as PrivacyTarget | null;
      if (typeof target !== 'object' || target === null) throw new PrivacyError(msg.LEDGER_NO_TARGET);
      ledger = new PrivacyLedger({ epsilon: target.epsilon, delta: target.delta });
    } else {
      ledger = PrivacyLedger.notPrivate();
    }
    for (const e of j.entries) {
      const { epsilonAttributed: _a, ...spend } = (e ?? {}) as Record<string, unknown>;
      ledger.spends.push(validateSpend(spend)); // restore as saved, without re-merging
    }
    return ledger;
  }
}

/** Composition and attribution, shared by total() and canAfford(). */
function composeSpends(spends: readonly PrivacySpend[], target: PrivacyTarget | null): LedgerTotal {
  const extraDelta = spends.reduce((sum, s) => sum + (s.deltaSpent ?? 0), 0);
  if (!target) {
    return { differentiallyPrivate: false, accountant: 'rdp', epsilon: Infinity, delta: 1, conversionDelta: 0, bestOrder: null, entries: spends.map((s) => ({ ...s, rdpAtBestOrder: Infinity, epsilonAttributed: Infinity })) };
  }
  const conversionDelta = target.delta - extraDelta;
  const infinite = (): LedgerTotal => ({
    differentiallyPrivate: true, accountant: 'rdp', epsilon: Infinity, delta: target.delta, conversionDelta: Math.max(0, conversionDelta), bestOrder: null,
    entries: spends.map((s) => ({ ...s, rdpAtBestOrder: Infinity, epsilonAttributed: Infinity })),
  });
  if (!(conversionDelta > 0)) return { ...infinite(), delta: extraDelta };

  const orders = DEFAULT_ORDERS;
  const curves = spends.map((s) => orders.map((a) => spendRdp(s, a)));
  const composed = orders.map((_, k) => curves.reduce((sum, c) => sum + c[k]!, 0));
  const delta = target.delta; // = conversionDelta + extraDelta, written as the target to avoid a rounding ulp
  if (composed.every((r) => r === 0)) {
    return { differentiallyPrivate: true, accountant: 'rdp', epsilon: 0, delta, conversionDelta, bestOrder: null, entries: spends.map((s) => ({ ...s, rdpAtBestOrder: 0, epsilonAttributed: 0 })) };
  }
  const { epsilon, bestOrder } = rdpToEpsilon(orders, composed, conversionDelta);
  if (bestOrder === null || !Number.isFinite(epsilon)) return infinite();

  const k = orders.indexOf(bestOrder);
  const atBest = curves.map((c) => c[k]!);
  const sumAtBest = atBest.reduce((a, b) => a + b, 0);
  const shares = atBest.map((r) => (epsilon * r) / sumAtBest);
  let lastSpender = -1;
  for (let i = 0; i < atBest.length; i++) if (atBest[i]! > 0) lastSpender = i;
  if (lastSpender >= 0) {
    let others = 0;
    for (let i = 0; i < shares.length; i++) if (i !== lastSpender) others += shares[i]!;
    shares[lastSpender] = epsilon - others;
  }
  return {
    differentiallyPrivate: true, accountant: 'rdp', epsilon, delta, conversionDelta, bestOrder,
    entries: spends.map((s, i) => ({ ...s, rdpAtBestOrder: atBest[i]!, epsilonAttributed: shares[i]! })),
  };
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : 'Infinity';
}
