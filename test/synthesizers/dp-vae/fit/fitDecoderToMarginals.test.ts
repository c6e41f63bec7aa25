/**
 * Two-way DP marginals and the decoder fitted to them (dp.pairShare): the gradients against finite
 * differences, the analytic bin probabilities against the sampler's own draws, the ledger, and that a
 * measured relation DP-SGD missed comes back in the samples.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DecoderMlp } from '../../../../src/synthesizers/dp-vae/fit/DecoderMlp.js';
import { marginalVariables, variableBackward, variableProbs, type MarginalVariable } from '../../../../src/synthesizers/dp-vae/fit/marginalVariables.js';
import { fitDecoderToMarginals } from '../../../../src/synthesizers/dp-vae/fit/fitDecoderToMarginals.js';
import { measurePairs } from '../../../../src/synthesizers/dp-vae/fit/measurePairs.js';
import { coarseRelease, pairBinsFor, pairFitIterations, PAIR_FIT } from '../../../../src/synthesizers/dp-vae/fit/MarginalModel.js';
import { DpVaeSynthesizer } from '../../../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import { measureMarginals, binIndex } from '../../../../src/sampling/marginals.js';
import { decodedCells } from '../../../../src/transformers/DecodedColumn.js';
import { validateMetadata } from '../../../../src/metadata/validateMetadata.js';
import { fit } from '../../../../src/jobs/fit.js';
import { sample } from '../../../../src/jobs/sample.js';
import { readTable } from '../../../../src/io/readTable.js';
import { Rng } from '../../../../src/rng.js';
import type { Table } from '../../../../src/table/Table.js';

/** A small table: a 3-level category, a nullable numeric with a point mass at its lower bound, a boolean. */
function smallTable(n: number, rng: Rng): Table {
  const c: string[] = [];
  const x: (number | null)[] = [];
  const b: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = rng.int(3);
    c.push(['a', 'b', 'c'][k]!);
    x.push(rng.uniform() < 0.1 ? null : rng.uniform() < 0.3 ? 0 : Math.round((k * 20 + 10 + 8 * rng.normal()) * 100) / 100);
    b.push(rng.uniform() < 0.5 + 0.3 * (k - 1) ? 'yes' : 'no');
  }
  return { names: ['c', 'x', 'b'], columns: [c, x, b], rowCount: n };
}

const META = validateMetadata({
  columns: [
    { name: 'c', type: 'categorical', categories: ['a', 'b', 'c'], public: true },
    { name: 'x', type: 'numeric', nullable: true, min: 0, max: 60, public: true },
    { name: 'b', type: 'categorical', categories: ['no', 'yes'], public: true },
  ],
});

describe('the decoder and the bin probabilities: gradients', () => {
  let synth: DpVaeSynthesizer;
  let vars: MarginalVariable[];
  let release: ReturnType<typeof measureMarginals>['release'];
  beforeAll(async () => {
    const t = smallTable(600, new Rng(1));
    synth = await DpVaeSynthesizer.fit(t, META, { seed: 2, config: { epochs: 3, batchSize: 100, embeddingDim: 4, compressDims: [8], decompressDims: [8], learnSigma: false, fixedSigma: 0.5 } });
    release = coarseRelease(measureMarginals(t, synth.encoder, 1e12, new Rng(3)).release, 8);
    vars = marginalVariables(synth.encoder, release.marginals);
  }, 60_000);

  it('variableBackward is the gradient of sum(g * variableProbs) (finite differences, every variable kind)', () => {
    const D = synth.encoder.width;
    const B = 3;
    const rng = new Rng(4);
    const r = Float64Array.from({ length: B * D }, () => rng.normal());
    for (const v of vars) {
      const sigma = v.kind === 'numeric' ? 0.5 : 0;
      const p = new Float64Array(B * v.size);
      const cache = variableProbs(v, r, D, B, sigma, p);
      const g = Float64Array.from({ length: p.length }, () => rng.normal());
      const dr = new Float64Array(B * D);
      variableBackward(v, r, D, B, sigma, p, g, cache, dr);
      const f = (x: Float64Array): number => {
        const q = new Float64Array(B * v.size);
        variableProbs(v, x, D, B, sigma, q);
        return q.reduce((s, qi, i) => s + qi * g[i]!, 0);
      };
      for (let j = 0; j < B * D; j++) {
        const h = 1e-6;
        const up = Float64Array.from(r);
        const dn = Float64Array.from(r);
        up[j]! += h;
        dn[j]! -= h;
        const fd = (f(up) - f(dn)) / (2 * h);
        expect(Math.abs(fd - dr[j]!), `${v.column} (${v.kind}) output ${j}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });

  it('DecoderMlp.backward is the gradient of sum(g * forward) (finite differences)', () => {
    const dec = DecoderMlp.fromWeights(synth.engine.exportWeights(), [8]);
    const B = 4;
    const rng = new Rng(5);
    const z = Float64Array.from({ length: B * dec.inputDim }, () => rng.normal());
    const g = Float64Array.from({ length: B * dec.outputDim }, () => rng.normal());
    const grads = dec.backward(dec.forward(z, B), g);
    const f = (): number => dec.forward(z, B).out.reduce((s, o, i) => s + o * g[i]!, 0);
    dec.layers.forEach((L, k) => {
      for (const [name, arr, grad] of [['W', L.W, grads[k]!.dW], ['b', L.b, grads[k]!.db]] as const) {
        for (let j = 0; j < Math.min(arr.length, 40); j++) {
          const keep = arr[j]!;
          arr[j] = keep + 1e-6;
          const up = f();
          arr[j] = keep - 1e-6;
          const dn = f();
          arr[j] = keep;
          expect(Math.abs((up - dn) / 2e-6 - grad[j]!), `${L.name}.${name}[${j}]`).toBeLessThan(1e-5);
        }
      }
    });
  });

  it("the analytic bin probabilities are the sampler's: TVD under 0.02 on 40,000 draws, per column", () => {
    const dec = DecoderMlp.fromWeights(synth.engine.exportWeights(), [8]);
    const B = 40_000;
    const rng = new Rng(6);
    const z = Float64Array.from({ length: B * dec.inputDim }, () => rng.normal());
    const out = dec.forward(z, B).out;
    const sampler = synth.sampler(1);
    const cols = sampler.drawBatch(B, new Rng(7), undefined).map(decodedCells);
    sampler.dispose();
    vars.forEach((v, i) => {
      const p = new Float64Array(B * v.size);
      variableProbs(v, out, dec.outputDim, B, v.kind === 'numeric' ? 0.5 : 0, p);
      const analytic = new Float64Array(v.size);
      for (let r = 0; r < B; r++) for (let j = 0; j < v.size; j++) analytic[j]! += p[r * v.size + j]! / B;
      const empirical = new Float64Array(v.size);
      for (const k of binIndex(release.marginals[i]!, cols[synth.encoder.columns.indexOf(v.column)]!)) if (k >= 0) empirical[k]! += 1 / B;
      const tvd = analytic.reduce((s, a, j) => s + Math.abs(a - empirical[j]!), 0) / 2;
      expect(tvd, v.column).toBeLessThan(0.02);
    });
  });
});

describe('fit --pair-share on a table whose relation DP-SGD cannot learn at its size', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-pairs-'));
  // 1,500 rows: y follows x in 90% of rows; five noise columns
  const rng = new Rng(11);
  const lines = ['x,y,n1,n2,n3,n4,n5'];
  for (let i = 0; i < 1500; i++) {
    const x = ['p', 'q', 'r', 's'][rng.int(4)]!;
    const y = rng.uniform() < 0.9 ? { p: 'k1', q: 'k2', r: 'k3', s: 'k4' }[x]! : ['k1', 'k2', 'k3', 'k4'][rng.int(4)]!;
    lines.push([x, y, ...Array.from({ length: 5 }, () => ['u', 'v', 'w'][rng.int(3)]!)].join(','));
  }
  const data = path.join(dir, 'pairs.csv');
  writeFileSync(data, lines.join('\n') + '\n');

  async function agreement(pairShare: number | undefined): Promise<{ agree: number; manifest: any }> {
    const out = path.join(dir, `m-${pairShare ?? 0}`);
    await fit(data, { out, dp: { epsilon: 1, delta: 1e-5, ...(pairShare ? { pairShare } : {}) }, seed: 1 });
    const syn = path.join(dir, `s-${pairShare ?? 0}.csv`);
    await sample(out, { rows: 5000, out: syn, seed: 2 });
    const t = await readTable(syn);
    const xs = t.columns[0]!;
    const ys = t.columns[1]!;
    const map: Record<string, string> = { p: 'k1', q: 'k2', r: 'k3', s: 'k4' };
    let agree = 0;
    for (let i = 0; i < t.rowCount; i++) if (map[xs[i] as string] === ys[i]) agree++;
    return { agree: agree / t.rowCount, manifest: JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) };
  }

  it('the x-y agreement (real 0.925) comes back with pairs; every pair release is in the ledger, total within epsilon 1', async () => {
    const without = await agreement(undefined);
    const withPairs = await agreement(0.25);
    // without pairs DP-SGD does not learn the relation at epsilon 1 on 1,500 rows (measured: 0.253, independent
    // columns give 0.25); with a quarter of the budget on pairs: 0.814 (seed 1)
    expect(withPairs.agree).toBeGreaterThan(0.7);
    expect(withPairs.agree).toBeGreaterThan(without.agree + 0.2);
    const entries: { label: string }[] = withPairs.manifest.privacy.entries;
    const k = entries.filter((e) => e.label.startsWith('pairs:measure:')).length;
    expect(k).toBe(6); // columns - 1
    expect(entries.filter((e) => e.label.startsWith('pairs:select:'))).toHaveLength(k);
    expect(entries.some((e) => e.label === 'pairs:measure:x|y')).toBe(true);
    expect(withPairs.manifest.privacy.total.epsilon).toBeLessThanOrEqual(1);
    expect(withPairs.manifest.privacy.total.epsilon).toBeGreaterThan(0.99);
    expect(withPairs.manifest.training.pairsFitted.pairs).toBe(6);
  }, 180_000);

  it('with a target (run --target, fit --target), every pair of the target is measured, none chosen, the whole pair budget measuring', async () => {
    const out = path.join(dir, 'm-target');
    await fit(data, { out, dp: { epsilon: 1, delta: 1e-5, pairShare: 0.25 }, target: 'n3', seed: 1 });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const entries: { label: string; rho?: number; params?: { std?: number } }[] = manifest.privacy.entries;
    const measures = entries.filter((e) => e.label.startsWith('pairs:measure:'));
    const measured = measures.map((e) => e.label.slice('pairs:measure:'.length).split('|'));
    expect(measured).toHaveLength(6);
    for (const p of measured) expect(p).toContain('n3');
    expect(new Set(measured.map((p) => p.find((c) => c !== 'n3'))).size).toBe(6);
    expect(entries.filter((e) => e.label.startsWith('pairs:select:'))).toEqual([]);
    // the six measurements spend the whole pair share (0.25 of the total rho), equally
    const rhos = measures.map((e) => e.rho!);
    for (const r of rhos) expect(r).toBeCloseTo(rhos[0]!, 12);
    expect(manifest.privacy.total.epsilon).toBeLessThanOrEqual(1);
    expect(manifest.privacy.total.epsilon).toBeGreaterThan(0.99);
    // the stored marginals are pooled with the pair tables (poolPairMargins): the target, in six pairs, with a smaller
    // std than its own release's; a column in one pair gains less; each still sums to about the row count
    const stored: { column: string; std: number; counts: number[] }[] = manifest.marginals.marginals;
    const releaseStd = (c: string): number => entries.find((e) => e.label === `categories:${c}`)!.params!.std!;
    const target = stored.find((m) => m.column === 'n3')!;
    const x = stored.find((m) => m.column === 'x')!;
    expect(target.std).toBeLessThan(0.75 * releaseStd('n3'));
    expect(x.std).toBeLessThan(releaseStd('x'));
    expect(x.std).toBeGreaterThan(target.std * (releaseStd('x') / releaseStd('n3')));
    for (const m of stored) expect(Math.abs(m.counts.reduce((a, b) => a + b, 0) - 1500)).toBeLessThan(150);
  }, 120_000);
});

describe('pair tables as coarse as the noise asks (pairBinsFor)', () => {
  it('keeps a cell at PAIR_FIT.cellSignal noise std: 8 bins on a large table, 2 or 3 on a small one', () => {
    expect(pairBinsFor(26_000, 30)).toBe(PAIR_FIT.bins);
    // pima at epsilon 1: 614 rows, noise std 25.6 a cell: 3 x 3 cells hold 68 rows each (2.7 std), 8 x 8 would hold 10
    expect(pairBinsFor(614, 25.6)).toBe(3);
    expect(pairBinsFor(427, 40)).toBe(2);
    expect(pairBinsFor(3000, 31.3)).toBe(6);
    expect(pairBinsFor(10, 100)).toBe(2);
  });

  it('gives the fit more Adam steps when more pairs share the decoder: 400 up to 8 pairs, 1,000 at most', () => {
    expect(pairFitIterations(0)).toBe(PAIR_FIT.iterations);
    expect(pairFitIterations(8)).toBe(400);
    expect(pairFitIterations(13)).toBe(650); // heart-cleveland, credit-data with a target
    expect(pairFitIterations(20)).toBe(1000); // german credit
    expect(pairFitIterations(30)).toBe(PAIR_FIT.maxIterations); // breast cancer
  });

  it('a small numeric table: the target pairs are measured in a few cells and the relation comes out with its sign', async () => {
    // 600 rows: y = 1 in 75% of rows where x > 50 and in 15% where x <= 50 (x uniform 0-100); three noise columns
    const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-pairbins-'));
    const rng = new Rng(21);
    const lines = ['x,n1,n2,n3,y'];
    for (let i = 0; i < 600; i++) {
      const x = Math.round(rng.uniform() * 1000) / 10;
      const y = rng.uniform() < (x > 50 ? 0.75 : 0.15) ? 1 : 0;
      lines.push([x, ...Array.from({ length: 3 }, () => Math.round(rng.uniform() * 1000) / 10), y].join(','));
    }
    const data = path.join(dir, 'small.csv');
    writeFileSync(data, lines.join('\n') + '\n');
    const out = path.join(dir, 'm');
    await fit(data, { out, dp: { epsilon: 1, delta: 1e-5 }, target: 'y', seed: 1 });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const measures: { label: string; params: { cells: number } }[] = manifest.privacy.entries.filter((e: { label: string }) => e.label.startsWith('pairs:measure:'));
    expect(measures.length).toBeGreaterThan(0);
    // x in 4 bins by y's 2 (600 rows, noise std ~19 a cell), where the fixed 8 bins made 16 cells of 37 rows
    for (const m of measures) expect(m.params.cells, m.label).toBe(8);
    const syn = path.join(dir, 's.csv');
    await sample(out, { rows: 4000, out: syn, seed: 2 });
    const t = await readTable(syn);
    const xs = t.columns[t.names.indexOf('x')]!.map(Number);
    const ys = t.columns[t.names.indexOf('y')]!.map(String);
    const share = (hi: boolean) => {
      const rows = xs.map((x, i) => i).filter((i) => (xs[i]! > 50) === hi);
      return rows.filter((i) => ys[i] === '1').length / rows.length;
    };
    // real 0.75 above 50 and 0.15 at or below; measured (seed 1, at the commit of pooled totals and support):
    // 0.58 and 0.33 (a gap of 0.25); with 8 x 2 cells (PAIR_FIT.cellSignal 1e-9, the rule before) 0.53 and 0.34
    // (0.19): most of the relation shrunk away
    expect(share(true) - share(false)).toBeGreaterThan(0.22);
  }, 180_000);
});

describe('a wide table (more than 16 columns) with a target: its pairs measured, its categories given a larger part', () => {
  it('measures every target pair (none chosen), gives the target 1/8 of the one-way budget, and the relation comes out with its sign', async () => {
    // 800 rows: y "M" in 35% of rows, x ~ N(70, 10) for "M" and N(40, 10) for "B"; g a three-level category; 16 noise columns
    const dir = mkdtempSync(path.join(tmpdir(), 'privsynth-wide-'));
    const rng = new Rng(31);
    const noise = Array.from({ length: 16 }, (_, i) => `n${i + 1}`);
    const lines = [['y', 'x', 'g', ...noise].join(',')];
    for (let i = 0; i < 800; i++) {
      const m = rng.uniform() < 0.35;
      const x = Math.round((m ? 70 : 40) + 10 * rng.normal());
      lines.push([m ? 'M' : 'B', x, ['a', 'b', 'c'][rng.int(3)]!, ...noise.map(() => Math.round(rng.uniform() * 100))].join(','));
    }
    const data = path.join(dir, 'wide.csv');
    writeFileSync(data, lines.join('\n') + '\n');
    const out = path.join(dir, 'm');
    await fit(data, { out, dp: { epsilon: 1, delta: 1e-5 }, target: 'y', seed: 1 });
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const entries: { label: string; rho: number }[] = manifest.privacy.entries;
    const measured = entries.filter((e) => e.label.startsWith('pairs:measure:')).map((e) => e.label.slice('pairs:measure:'.length).split('|'));
    expect(measured).toHaveLength(18);
    for (const p of measured) expect(p).toContain('y');
    expect(entries.filter((e) => e.label.startsWith('pairs:select:'))).toEqual([]);
    // the one-way budget: y's part (its category release less a plain category release, g's) is 1/8 of it, and
    // each of the 18 other columns gets an equal part of the rest (x's marginal)
    const rho = (label: string) => entries.find((e) => e.label === label)!.rho;
    const other = rho('marginal:x');
    const target = rho('categories:y') - rho('categories:g') + other;
    expect(target / (target + 18 * other)).toBeCloseTo(1 / 8, 9);
    expect(manifest.privacy.total.epsilon).toBeLessThanOrEqual(1);
    expect(manifest.privacy.total.epsilon).toBeGreaterThan(0.99);
    const syn = path.join(dir, 's.csv');
    await sample(out, { rows: 4000, out: syn, seed: 2 });
    const t = await readTable(syn);
    const xs = t.columns[t.names.indexOf('x')]!.map(Number);
    const ys = t.columns[t.names.indexOf('y')]!.map(String);
    const mean = (cls: string) => {
      const v = xs.filter((_, i) => ys[i] === cls);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    // real: 70 vs 40; measured (seed 1, with 900 fit steps for its 18 pairs): 55.1 vs 44.9, "M" in 34% of rows
    // (without pairs, as tables over 16 columns were before, no pair is measured at all)
    expect(mean('M') - mean('B')).toBeGreaterThan(8);
  }, 180_000);
});

describe('every pair term is built on the margins the one-way terms hold', () => {
  it('a category the model gets wrong moves to its release, though most of its pairs are unmeasured (held to the model)', async () => {
    // 600 rows: c, x and b as in smallTable, six noise columns; a decoder trained for three epochs
    const rng = new Rng(41);
    const base = smallTable(600, rng);
    const noise = Array.from({ length: 6 }, () => Array.from({ length: 600 }, () => Math.round(rng.uniform() * 1000) / 10));
    const t: Table = { names: [...base.names, ...noise.map((_, i) => `n${i}`)], columns: [...base.columns, ...noise], rowCount: 600 };
    const meta = validateMetadata({ columns: [...META.columns, ...noise.map((_, i) => ({ name: `n${i}`, type: 'numeric' as const, min: 0, max: 100, public: true }))] });
    const synth = await DpVaeSynthesizer.fit(t, meta, { seed: 2, config: { epochs: 3, batchSize: 100, embeddingDim: 4, compressDims: [8], decompressDims: [8], learnSigma: false, fixedSigma: 0.5 } });
    const exact = measureMarginals(t, synth.encoder, 1e12, new Rng(3)).release;
    // a release that puts b at 70% "yes" (a noisy release can be far from what DP-SGD learned: breast cancer's
    // model had 62% "M", its release 37%)
    const bi = exact.marginals.findIndex((m) => m.column === 'b');
    const labels = (exact.marginals[bi] as { labels: (string | null)[] }).labels;
    const released = labels.map((l) => (l === 'yes' ? 420 : l === 'no' ? 180 : 0));
    const release = { ...exact, marginals: exact.marginals.map((m, i) => (i === bi ? { ...m, counts: released } : m)) };
    const model = { weights: synth.engine.exportWeights(), decompressDims: [8] };
    // one pair chosen and measured (without noise to speak of): 8 of b's 9 pairs are unmeasured, the trust region's
    const measured = measurePairs(t, synth.encoder, release, model, { rhoSelect: 1e6, rhoMeasure: 1e12, pairs: 1, total: 600, rng: new Rng(4) });
    expect(measured.pairs).toHaveLength(1);
    const share = (weights: typeof model.weights): number => {
      const dec = DecoderMlp.fromWeights(weights, [8]);
      const v = marginalVariables(synth.encoder, release.marginals)[bi]!;
      const B = 20_000;
      const zr = new Rng(5);
      const out = dec.forward(Float64Array.from({ length: B * dec.inputDim }, () => zr.normal()), B).out;
      const p = new Float64Array(B * v.size);
      variableProbs(v, out, dec.outputDim, B, 0, p);
      let yes = 0;
      const k = labels.indexOf('yes');
      for (let r = 0; r < B; r++) yes += p[r * v.size + k]! / B;
      return yes;
    };
    const before = share(model.weights);
    const fitted = fitDecoderToMarginals(synth.encoder, release, measured.pairs, model, { total: 600, rng: new Rng(6), bins: measured.bins });
    const after = share(fitted.weights);
    // measured: before 0.197, after 0.688; with the unmeasured pairs held to the model's own margins (the rule
    // before) the fit ended at 0.221
    expect(before).toBeLessThan(0.5);
    expect(Math.abs(after - 0.7)).toBeLessThan(0.05);
  }, 120_000);
});
