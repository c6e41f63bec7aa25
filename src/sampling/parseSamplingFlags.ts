/**
 * Parse the CLI's sampling flags.
 *   --condition "sex=Female"        column=value (split at the first "="; "income=>50K" is income = ">50K")
 *   --rebalance "race=uniform"      equal shares over the column's categories
 *   --rebalance "race:Black=0.3,race:White=0.3,race:Asian-Pac-Islander=0.4"   explicit shares (one column)
 */
import { InputError } from '../errors.js';
import type { Condition } from './conditions.js';
import type { RebalanceSpec } from './rebalance.js';
import * as msg from '../messages.js';

export function parseCondition(s: string): Condition {
  const i = s.indexOf('=');
  if (i <= 0) throw new InputError(msg.conditionFlagForm(s), { hint: msg.HINT_CONDITION_FLAG });
  return { column: s.slice(0, i).trim(), value: s.slice(i + 1) };
}

export function parseRebalance(s: string): RebalanceSpec {
  const uniform = /^([^:=]+)=uniform$/.exec(s.trim());
  if (uniform) return { column: uniform[1]!.trim(), uniform: true };
  const shares: Record<string, number> = {};
  let column: string | undefined;
  for (const part of s.split(',')) {
    const m = /^([^:]+):(.*)=([^=]+)$/.exec(part.trim());
    if (!m) throw new InputError(msg.rebalanceFlagForm(part), { hint: msg.HINT_REBALANCE_FLAG });
    const [, col, value, share] = m;
    if (column !== undefined && col !== column) throw new InputError(msg.rebalanceTwoColumns(column, col), { hint: msg.HINT_ONE_REBALANCE_COLUMN });
    column = col!;
    const x = Number(share);
    if (!(x >= 0) || !Number.isFinite(x)) throw new InputError(msg.rebalanceShareNotNumber(share, col, value));
    shares[value!] = x;
  }
  return { column: column!, shares };
}
