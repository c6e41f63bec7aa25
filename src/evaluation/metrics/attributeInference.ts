/**
 * attribute_inference (after Anonymeter's inference evaluator, Giomi et al. 2023): an attacker who
 * knows the quasi-identifier columns of a target finds the closest synthetic row on those columns
 * (Gower) and guesses the secret column from it. A guess succeeds when it equals the truth (categories,
 * missing = missing) or, for numbers, when |guess - truth| <= 0.05 * |truth|.
 *
 * Success on train targets (members) is compared with success on holdout targets (control, never seen
 * by the synthesizer), which measures what the attacker learns from the distribution alone:
 *   risk = (success_train - success_holdout) / (1 - success_holdout),
 * with an interval from the Wilson 95% interval of success_train (Anonymeter's convention), clipped
 * to [0, 1]. Per secret column; the headline is the largest risk.
 * Default secrets: the ml target (if any), then the columns of highest normalised entropy.
 */
import type { Rng } from '../../rng.js';
import { makeGowerEncoder, nearestNeighbours } from '../gower.js';
import { takePrepared, type PreparedData } from '../prepare.js';
import type { PrivacyContext } from '../privacyContext.js';
import { wilson } from '../stats/binomial.js';
import { makeBinner } from '../stats/bins.js';
import { sampleIndices } from '../stats/summary.js';
import type { MetricDescriptor, MetricOutput, Warning } from '../types.js';
import * as msg from '../../messages.js';

export const descriptor: MetricDescriptor = {
  name: 'attribute_inference',
  kind: 'privacy',
  goal: 'minimize',
  range: [0, 1],
  description:
    'Largest Anonymeter-style attribute-inference risk over secret columns: (success on train targets - success on holdout targets) / (1 - success on holdout targets), nearest synthetic row on the other columns.',
};

export interface SecretResult {
  secret: string;
  knownColumns: string[];
  attacks: number;
  successTrain: number;
  successTrainCi95: [number, number];
  successHoldout: number;
  successHoldoutCi95: [number, number];
  risk: number;
  riskCi95: [number, number];
}

export interface AttributeSettings {
  attacks: number;
  secrets?: string[];
  maxSecrets: number;
  quasiIdentifiers?: string[];
  target?: string;
}

/** Normalised entropy (in [0, 1]) of a column's train values, numbers in 10 quantile bins. */
function normalisedEntropy(data: PreparedData, j: number): number {
  const b = makeBinner(data.columns[j]!, data.train.values[j]!);
  const codes = b.apply(data.train.values[j]!);
  const counts = new Float64Array(b.size);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]++;
  let hsum = 0;
  let used = 0;
  for (const c of counts) {
    if (c > 0) {
      used++;
      const p = c / codes.length;
      hsum -= p * Math.log(p);
    }
  }
  return used > 1 ? hsum / Math.log(used) : 0;
}

export function chooseSecrets(data: PreparedData, s: AttributeSettings): string[] {
  const names = data.columns.map((c) => c.name);
  if (s.secrets && s.secrets.length) return s.secrets.filter((x) => names.includes(x));
  const ranked = data.columns
    .map((c, j) => ({ name: c.name, h: normalisedEntropy(data, j) }))
    .filter((x) => x.name !== s.target && x.h > 0)
    .sort((a, b) => b.h - a.h || a.name.localeCompare(b.name))
    .map((x) => x.name);
  const out = s.target && names.includes(s.target) ? [s.target, ...ranked] : ranked;
  return out.slice(0, s.maxSecrets);
}

function success(col: 'num' | 'cat', guess: number, truth: number): boolean {
  if (col === 'cat') return guess === truth;
  if (truth !== truth || guess !== guess) return truth !== truth && guess !== guess;
  return Math.abs(guess - truth) <= 0.05 * Math.abs(truth);
}

export function compute(ctx: PrivacyContext, s: AttributeSettings, rng: Rng, onProgress?: (f: number) => void): MetricOutput & { details: { secrets: SecretResult[] } } {
  const { data } = ctx;
  const warnings: Warning[] = [];
  const names = data.columns.map((c) => c.name);
  const secrets = chooseSecrets(data, s);
  if (s.secrets) for (const x of s.secrets) if (!names.includes(x)) warnings.push({ code: 'METRIC_SKIPPED', metric: descriptor.name, column: x, message: msg.secretNotEvaluated(x) });
  const nA = Math.min(s.attacks, data.train.n, data.holdout.n);
  const trainIdx = sampleIndices(data.train.n, nA, rng.fork('train-targets'));
  const holdIdx = sampleIndices(data.holdout.n, nA, rng.fork('holdout-targets'));
  const trainT = takePrepared(data.train, trainIdx);
  const holdT = takePrepared(data.holdout, holdIdx);
  const results: SecretResult[] = [];
  secrets.forEach((secret, si) => {
    const js = names.indexOf(secret);
    const known = (s.quasiIdentifiers ?? names).filter((x) => x !== secret && names.includes(x));
    if (known.length === 0) {
      warnings.push({ code: 'METRIC_SKIPPED', metric: descriptor.name, column: secret, message: msg.noKnownColumnForSecret(secret) });
      return;
    }
    const enc = makeGowerEncoder(data, known.map((x) => names.indexOf(x)));
    const syn = enc.encode(data.synthetic);
    const kind = data.columns[js]!.kind;
    const synSecret = data.synthetic.values[js]!;
    const rate = (targets: typeof trainT): number => {
      const nb = nearestNeighbours(enc.encode(targets), syn, 1);
      const truth = targets.values[js]!;
      let ok = 0;
      for (let i = 0; i < targets.n; i++) if (success(kind, synSecret[nb.index[i]!]!, truth[i]!)) ok++;
      return ok;
    };
    const okT = rate(trainT);
    const okH = rate(holdT);
    const rT = okT / nA;
    const rH = okH / nA;
    const ciT = wilson(okT, nA);
    const ciH = wilson(okH, nA);
    const denom = 1 - rH;
    const risk = denom > 0 ? (rT - rH) / denom : 0;
    const clip = (x: number) => Math.max(0, Math.min(1, x));
    results.push({
      secret,
      knownColumns: known,
      attacks: nA,
      successTrain: rT,
      successTrainCi95: ciT,
      successHoldout: rH,
      successHoldoutCi95: ciH,
      risk: clip(risk),
      riskCi95: denom > 0 ? [clip((ciT[0] - rH) / denom), clip((ciT[1] - rH) / denom)] : [0, 0],
    });
    onProgress?.((si + 1) / secrets.length);
  });
  results.sort((a, b) => b.risk - a.risk);
  return { value: results.length ? results[0]!.risk : null, details: { secrets: results }, warnings };
}
