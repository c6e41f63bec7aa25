/**
 * budgetStrength: does an (epsilon, delta) budget give meaningful protection for a table of `rows`
 * people? privsynth refuses budgets past these lines unless the caller explicitly accepts them
 * (`--allow-weak-privacy`); a model fitted that way is flagged `weakBudget` in its manifest, in
 * `info` and in the report.
 *
 * Where the lines are, and why:
 * - epsilon > 10 (WEAK_EPSILON): epsilon bounds how much more likely any output becomes because one
 *   person is in the data, by a factor e^epsilon. At 10 that factor is 22,026; past it the guarantee
 *   says almost nothing an attacker could not already do (deployed releases rarely go past 8-10, e.g.
 *   the US Census 2020 redistricting data spent about 17.1 in total over many queries). A value such as
 *   1e300 is no protection at all.
 * - delta >= 1/rows: delta is the probability that the epsilon bound fails outright. A mechanism that
 *   publishes one random person's row in full is (0, 1/rows)-DP; at delta >= 1/rows the guarantee
 *   therefore allows releasing someone's record verbatim. Refused.
 * - delta > 1/(10 rows): allowed, with a warning: the usual advice is delta well below 1/rows
 *   (1/rows^1.1 or smaller; privsynth's default 1e-5 for tables up to 10,000 rows).
 */
import { BudgetError } from '../errors.js';
import * as msg from '../messages.js';

export const WEAK_EPSILON = 10;

export interface BudgetStrength {
  /** Problems that make the budget no meaningful protection (refused without an explicit override). */
  refusals: string[];
  /** Weaker concerns (the budget is still accepted). */
  warnings: string[];
}

/** Judge a budget for `rows` training rows (rows unknown: only epsilon is judged). */
export function budgetStrength(epsilon: number, delta: number, rows?: number): BudgetStrength {
  const refusals: string[] = [];
  const warnings: string[] = [];
  if (epsilon > WEAK_EPSILON) {
    refusals.push(msg.epsilonTooWeak(formatBudgetNumber(epsilon), WEAK_EPSILON));
  }
  if (rows !== undefined && rows > 0) {
    if (delta >= 1 / rows) {
      refusals.push(msg.deltaTooWeak(formatBudgetNumber(delta), rows, formatBudgetNumber(1 / rows)));
    } else if (delta > 1 / (10 * rows)) {
      warnings.push(msg.deltaAboveTenth(formatBudgetNumber(delta), formatBudgetNumber(1 / (10 * rows)), formatBudgetNumber(Math.min(1e-5, 1 / (rows * 100)))));
    }
  }
  return { refusals, warnings };
}

/**
 * Refuse a budget that gives no meaningful protection (budgetStrength) unless `allowWeakPrivacy`; the
 * warnings go to `onWarning`. Returns the reasons to flag the model with when allowed (every synthesizer's
 * fit calls this before reading the data).
 * @throws BudgetError E_BUDGET for a refused budget.
 */
export function checkBudgetStrength(dp: { epsilon: number; delta: number; allowWeakPrivacy?: boolean }, rows: number, onWarning?: (message: string) => void): string[] {
  const s = budgetStrength(dp.epsilon, dp.delta, rows);
  for (const w of s.warnings) onWarning?.(w);
  if (s.refusals.length && !dp.allowWeakPrivacy) {
    throw new BudgetError(msg.budgetRefused(s.refusals), {
      hint: msg.hintWeakBudget(WEAK_EPSILON, rows),
    });
  }
  return s.refusals;
}

/** Numbers in budget messages: 3 significant digits, exponent notation for huge and tiny values. */
export function formatBudgetNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(3)));
}
