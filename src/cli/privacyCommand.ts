/**
 * `privsynth privacy`: privacy arithmetic without data.
 *
 *   privsynth privacy epsilon --sample-rate q --noise-multiplier s --steps T --delta d [--json]
 *   privsynth privacy noise   --epsilon e --delta d --sample-rate q --steps T [--json]
 *
 * Parses, calls `src/privacy/analysis`, prints human text or JSON to stdout. Bad numbers throw
 * PrivacyError (E_PRIVACY, exit 2) with a hint.
 */
import { Command } from 'commander';
import { PrivacyError } from '../errors.js';
import { calibrateNoise } from '../privacy/analysis/calibrateNoise.js';
import { DEFAULT_ORDERS } from '../privacy/analysis/DEFAULT_ORDERS.js';
import { rdpSampledGaussianCurve } from '../privacy/analysis/rdpSampledGaussian.js';
import { rdpToEpsilon } from '../privacy/analysis/rdpToEpsilon.js';
import * as msg from '../messages.js';

interface EpsilonOptions {
  sampleRate: string;
  noiseMultiplier: string;
  steps: string;
  delta: string;
  json?: boolean;
}

interface NoiseOptions {
  epsilon: string;
  delta: string;
  sampleRate: string;
  steps: string;
  json?: boolean;
}

/** Builds the `privacy` command. `out` defaults to stdout (tests pass a collector). */
export function privacyCommand(out: (s: string) => void = (s) => void process.stdout.write(s)): Command {
  const cmd = new Command('privacy').description('compute epsilon for a DP-SGD schedule, or the noise needed for a target epsilon (RDP accountant)');

  cmd
    .command('epsilon')
    .description('epsilon spent by DP-SGD with Poisson sampling (RDP accountant, Balle et al. 2020 conversion)')
    .requiredOption('--sample-rate <q>', 'probability that a row is in a batch (batch size / rows), in (0, 1]')
    .requiredOption('--noise-multiplier <sigma>', 'noise std divided by the clipping norm, >= 0')
    .requiredOption('--steps <T>', 'number of training steps, a positive whole number')
    .requiredOption('--delta <d>', 'target delta, in (0, 1)')
    .option('--json', 'print JSON instead of text')
    .action((o: EpsilonOptions) => {
      const q = parseNumber('--sample-rate', o.sampleRate, (x) => x > 0 && x <= 1, 'in (0, 1]', msg.HINT_SAMPLE_RATE_FLAG);
      const sigma = parseNumber('--noise-multiplier', o.noiseMultiplier, (x) => x >= 0, '>= 0', msg.HINT_NOISE_MULTIPLIER_FLAG);
      const steps = parseNumber('--steps', o.steps, (x) => Number.isInteger(x) && x >= 1, 'a positive whole number', msg.HINT_STEPS_FLAG);
      const delta = parseNumber('--delta', o.delta, (x) => x > 0 && x < 1, 'in (0, 1)', msg.HINT_DELTA_FLAG);
      const { epsilon, bestOrder } = rdpToEpsilon(DEFAULT_ORDERS, rdpSampledGaussianCurve({ q, sigma, steps }, DEFAULT_ORDERS), delta);
      if (o.json) {
        out(JSON.stringify({ epsilon: Number.isFinite(epsilon) ? epsilon : null, delta, bestOrder, sampleRate: q, noiseMultiplier: sigma, steps, accountant: 'rdp' }) + '\n');
      } else if (!Number.isFinite(epsilon)) {
        out(`no privacy guarantee: with noise multiplier ${sigma} epsilon is infinite\n`);
      } else {
        out(`epsilon = ${epsilon.toFixed(4)} at delta = ${delta} (RDP accountant, best order ${bestOrder})\n`);
        out(`  ${steps} steps, sample rate ${q}, noise multiplier ${sigma}\n`);
      }
    });

  cmd
    .command('noise')
    .description('smallest noise multiplier so that DP-SGD meets (epsilon, delta)')
    .requiredOption('--epsilon <e>', 'target epsilon, > 0')
    .requiredOption('--delta <d>', 'target delta, in (0, 1)')
    .requiredOption('--sample-rate <q>', 'probability that a row is in a batch (batch size / rows), in (0, 1]')
    .requiredOption('--steps <T>', 'number of training steps, a positive whole number')
    .option('--json', 'print JSON instead of text')
    .action((o: NoiseOptions) => {
      const epsilon = parseNumber('--epsilon', o.epsilon, (x) => x > 0, 'a positive number', msg.HINT_TYPICAL_EPSILON);
      const delta = parseNumber('--delta', o.delta, (x) => x > 0 && x < 1, 'in (0, 1)', msg.HINT_DELTA_FLAG);
      const q = parseNumber('--sample-rate', o.sampleRate, (x) => x > 0 && x <= 1, 'in (0, 1]', msg.HINT_SAMPLE_RATE_FLAG);
      const steps = parseNumber('--steps', o.steps, (x) => Number.isInteger(x) && x >= 1, 'a positive whole number', msg.HINT_STEPS_FLAG);
      const r = calibrateNoise({ epsilon, delta, q, steps });
      if (o.json) {
        out(JSON.stringify({ noiseMultiplier: r.sigma, epsilon: r.epsilon, targetEpsilon: epsilon, delta, bestOrder: r.bestOrder, sampleRate: q, steps, accountant: 'rdp' }) + '\n');
      } else {
        out(`noise multiplier = ${r.sigma.toPrecision(6)} (gives epsilon = ${r.epsilon.toFixed(4)} <= ${epsilon} at delta = ${delta})\n`);
        out(`  ${steps} steps, sample rate ${q}; RDP accountant, best order ${r.bestOrder}\n`);
      }
    });

  return cmd;
}

function parseNumber(flag: string, raw: string, ok: (x: number) => boolean, rule: string, hint: string): number {
  const x = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(x) || !ok(x)) throw new PrivacyError(msg.mustBe(flag, rule, raw), { hint });
  return x;
}
