/**
 * Calibration by logit shifts and monotone transport: the transport moves a sample onto reweighted bin
 * shares (atoms included) and keeps order; a calibrated sampler's fresh samples match the stored
 * marginals much better than the uncalibrated ones, deterministically.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MonotoneTransport } from '../../../../src/sampling/MonotoneTransport.js';
import { MIN_PILOT_ROWS, PILOT_CELLS, shrinkShares, calibrateSampler, calibrationTensors, installCalibration, pilotRowsFor, storedCalibration } from '../../../../src/synthesizers/dp-vae/sample/calibration.js';
import { measureMarginals, type MarginalRelease } from '../../../../src/sampling/marginals.js';
import { VaeSampler } from '../../../../src/synthesizers/dp-vae/sample/VaeSampler.js';
import { batchRng } from '../../../../src/sampling/batchRng.js';
import type { DpVaeSynthesizer } from '../../../../src/synthesizers/dp-vae/DpVaeSynthesizer.js';
import type { DecodedColumn } from '../../../../src/transformers/DecodedColumn.js';
import { fillStandardNormal } from '../../../../src/random/fillStandardNormal.js';
import { Rng } from '../../../../src/rng.js';
import type { Table } from '../../../../src/table/Table.js';
import { cpsModel } from '../../../fixtures/cpsModel.js';

function binShares(x: Float64Array, edges: number[]): number[] {
  const B = edges.length - 1;
  const c = new Array<number>(B).fill(0);
  for (const v of x) {
    let b = 0;
    if (v >= edges[B]!) b = B - 1;
    else if (v > edges[0]!) while (b < B - 1 && v >= edges[b + 1]!) b++;
    c[b]!++;
  }
  return c.map((k) => k / x.length);
}

describe('MonotoneTransport', () => {
  const n = 20_000;
  const x = fillStandardNormal(new Rng(1), new Float64Array(n));
  const edges = [-4, -1, 0, 1, 4];

  it('is (nearly) the identity when the targets are the sample shares', () => {
    const shares = binShares(x, edges);
    const t = MonotoneTransport.fit(x, edges, shares.map((s) => s * 1000), new Rng(2))!;
    const y = Float64Array.from(x);
    t.apply(y, new Rng(3));
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(y[i]! - x[i]!));
    expect(err).toBeLessThan(0.05);
    expect(t.tvdAfter).toBeLessThan(0.002);
  });

  it('moves the bin shares to the targets and keeps the order of the values', () => {
    const target = [10, 10, 40, 40]; // shares 0.1, 0.1, 0.4, 0.4 (the sample has ~0.16, 0.34, 0.34, 0.16)
    const t = MonotoneTransport.fit(x, edges, target, new Rng(4))!;
    expect(t.tvdBefore).toBeGreaterThan(0.2);
    const fresh = fillStandardNormal(new Rng(5), new Float64Array(n));
    const y = Float64Array.from(fresh);
    t.apply(y, new Rng(6));
    binShares(y, edges).forEach((s, b) => expect(Math.abs(s - target[b]! / 100), `bin ${b}`).toBeLessThan(0.01));
    const order = Array.from(fresh.keys()).sort((a, b) => fresh[a]! - fresh[b]!);
    for (let k = 1; k < n; k++) expect(y[order[k]!]!).toBeGreaterThanOrEqual(y[order[k - 1]!]!);
  });

  it('fills a target bin the sample does not reach, evenly, instead of renormalising it away', () => {
    // UCI Adult's capital-gain after the point-mass modes: the model's values are 0 (an atom) or near 7,566 and
    // 15,010, and the release also has mass at 3,000-5,000; before, that mass went to the other bins (the zeros
    // rose from 0.919 to 0.959)
    const pilot = Float64Array.from({ length: n }, (_, i) => (i % 10 < 9 ? 0 : i % 20 < 10 ? 7566 + (i % 7) : 15010 + (i % 5)));
    const e = [0, 0.5, 3000, 5000, 10000, 20000];
    const target = [900, 0, 40, 30, 30]; // 0.90 at 0, 0.04 in 3,000-5,000 (no pilot value), 0.03, 0.03
    const t = MonotoneTransport.fit(pilot, e, target, new Rng(21))!;
    const y = Float64Array.from(pilot);
    t.apply(y, new Rng(22));
    binShares(y, e).forEach((sh, b) => expect(Math.abs(sh - target[b]! / 1000), `bin ${b}`).toBeLessThan(0.005));
    // spread over the empty bin, not piled on one value
    const inside = Array.from(y).filter((v) => v >= 3000 && v < 5000);
    expect(new Set(inside.map((v) => Math.round(v / 100))).size).toBeGreaterThan(15);
    const order = Array.from(pilot.keys()).sort((a, b) => pilot[a]! - pilot[b]!);
    for (let k = 1; k < n; k++) if (pilot[order[k]!]! > pilot[order[k - 1]!]!) expect(y[order[k]!]!).toBeGreaterThanOrEqual(y[order[k - 1]!]!);
  });

  it('spreads an atom exactly: half the values at 0 (a clamp bound), target 20% at 0', () => {
    const a = Float64Array.from(x, (v, i) => (i % 2 ? 0 : Math.abs(v) + 1e-9)); // 50% exactly 0, rest > 0
    const e = [0, 1e-6, 1, 2, 5];
    const t = MonotoneTransport.fit(a, e, [20, 40, 30, 10], new Rng(7))!;
    const y = Float64Array.from(a);
    t.apply(y, new Rng(8));
    const zeros = y.filter((v) => v === 0).length / n;
    expect(Math.abs(zeros - 0.2)).toBeLessThan(0.01);
    binShares(y, e).forEach((s, b) => expect(Math.abs(s - [0.2, 0.4, 0.3, 0.1][b]!), `bin ${b}`).toBeLessThan(0.015));
    // and the other way round: 5% at 0 made 60%
    const t2 = MonotoneTransport.fit(Float64Array.from(x, (v, i) => (i % 20 ? Math.abs(v) + 1e-9 : 0)), e, [60, 20, 15, 5], new Rng(9))!;
    const y2 = Float64Array.from(x, (v, i) => (i % 20 ? Math.abs(v) + 1e-9 : 0));
    t2.apply(y2, new Rng(10));
    expect(Math.abs(y2.filter((v) => v === 0).length / n - 0.6)).toBeLessThan(0.01);
  });

  it('finds atoms at both ends of the range and inside it (each looked up in its grid cell)', () => {
    // 40% exactly at the lower bound 0, 30% exactly at the upper bound 10, 10% exactly at 2.5, the rest spread
    const a = Float64Array.from(x, (v, i) => (i % 10 < 4 ? 0 : i % 10 < 7 ? 10 : i % 10 === 7 ? 2.5 : 0.001 + (Math.abs(v) % 9.99)));
    const e = [0, 1e-6, 2.5 - 1e-6, 2.5 + 1e-6, 10 - 1e-6, 10];
    const t = MonotoneTransport.fit(a, e, [10, 30, 5, 45, 10], new Rng(12))!;
    const y = Float64Array.from(a);
    t.apply(y, new Rng(13));
    // each atom gives up mass only when its values are recognised as the atom (randomised PIT);
    // otherwise all of them would land on one point
    expect(Math.abs(y.filter((v) => v === 0).length / n - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(y.filter((v) => v === 10).length / n - 0.1)).toBeLessThan(0.01);
    expect(Math.abs(y.filter((v) => v === 2.5).length / n - 0.05)).toBeLessThan(0.01);
  });

  it('finds an atom float32 cannot hold after the weights-file round trip (knots stored as two float32 halves)', () => {
    // 40% at a mode's saturated end, mean + 4 std (UCI Adult's education-num: 8.880101624222338), the rest spread
    // over 2-16; the targets move mass off the atom. Before the tolerant lookup the stored copy missed the atom
    // and sent all of it to one value.
    const atom = 8.880101624222338;
    expect(Math.fround(atom)).not.toBe(atom);
    const a = Float64Array.from(x, (v, i) => (i % 10 < 4 ? atom : 2 + (Math.abs(v) * 3.7) % 14));
    const e = [2, 6, 8.5, 9.5, 12, 16];
    const t = MonotoneTransport.fit(a, e, [10, 10, 5, 45, 20, 10].slice(0, 5), new Rng(14))!;
    const cal = { bias: new Float32Array(1), transports: new Map([['x', t]]), pilotRows: n, columns: [] };
    const stored = storedCalibration(calibrationTensors(cal, ['x']), ['x'], 1)!.transports.get('x')!;
    const y = Float64Array.from(a);
    const z = Float64Array.from(a);
    t.apply(y, new Rng(15));
    stored.apply(z, new Rng(15));
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(y[i]! - z[i]!));
    expect(worst).toBeLessThan(1e-4); // pf and pg are float32: ~1e-5 of the range
    // and the atom's mass is spread (its target bin holds 5%), not 40% left on one value
    const top = new Map<number, number>();
    for (const v of z) top.set(v, (top.get(v) ?? 0) + 1);
    expect(Math.max(...top.values()) / n).toBeLessThan(0.2);
  });

  it('round-trips its state (what a worker thread receives) and refuses to fit without data', () => {
    const t = MonotoneTransport.fit(x, edges, [1, 2, 3, 4], new Rng(11))!;
    const copy = MonotoneTransport.fromState(structuredClone(t.state()));
    const a = Float64Array.from(x.subarray(0, 500));
    const b = Float64Array.from(a);
    t.apply(a, new Rng(12));
    copy.apply(b, new Rng(12));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(MonotoneTransport.fit(x.subarray(0, 10), edges, [1, 1, 1, 1], new Rng(1))).toBeNull();
    expect(MonotoneTransport.fit(x, edges, [0, 0, 0, 0], new Rng(1))).toBeNull();
  });
});

describe('calibrateSampler', () => {
  let synth: DpVaeSynthesizer;
  let real: Table;
  let release: MarginalRelease;
  beforeAll(async () => {
    ({ synth, table: real } = await cpsModel(20));
    release = measureMarginals(real, synth.encoder, 50, new Rng(1)).release; // nearly exact targets
  });

  /** Mean over the release's columns of the TVD between a batch's shares and the targets. */
  function meanTvd(cols: DecodedColumn[], rel: MarginalRelease): number {
    let sum = 0;
    for (const m of rel.marginals) {
      const c = cols[synth.encoder.columns.indexOf(m.column)]!;
      const tot = m.counts.reduce((a, b) => a + Math.max(0, b), 0);
      let d = 0;
      if (m.kind === 'categorical' && c.kind === 'code') {
        m.labels.forEach((l, k) => {
          let cnt = 0;
          for (const code of c.codes) if (c.labels[code] === l) cnt++;
          d += Math.abs(cnt / c.codes.length - Math.max(0, m.counts[k]!) / tot);
        });
      } else if (m.kind === 'numeric' && c.kind === 'number') {
        const s = binShares(c.values, m.edges);
        s.forEach((v, b) => (d += Math.abs(v - Math.max(0, m.counts[b]!) / tot)));
      }
      sum += d / 2;
    }
    return sum / rel.marginals.length;
  }

  it('fresh calibrated samples match the stored marginals far better than uncalibrated ones', () => {
    const plain = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    const cal = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    const fit = calibrateSampler(cal, release, new Rng(3), { pilotRows: 20_000 });
    expect(fit.columns.map((c) => c.column).sort()).toEqual(synth.encoder.columns.slice().sort());
    for (const c of fit.columns) expect(c.tvdAfter, c.column).toBeLessThanOrEqual(c.tvdBefore + 1e-9);
    const before = meanTvd(plain.drawBatch(20_000, batchRng(9, 0)), release);
    const after = meanTvd(cal.drawBatch(20_000, batchRng(9, 0)), release);
    expect(after).toBeLessThan(0.5 * before);
    expect(after).toBeLessThan(0.02);
  });

  it('caps the pilot at PILOT_CELLS rows x encoded width (issue 17: 8.4 GB for a 10,000-level column) and still calibrates', () => {
    // the arithmetic: Adult's 157 encoded columns keep the full 65,536-row pilot; a 10,010-wide encoding
    // (one 10,000-level column) gets floor(2^24 / 10,010) = 1,676 rows; never fewer than MIN_PILOT_ROWS
    expect(PILOT_CELLS).toBe(2 ** 24);
    expect(pilotRowsFor(65_536, 157)).toBe(65_536);
    expect(pilotRowsFor(65_536, 10_010)).toBe(1676);
    expect(pilotRowsFor(65_536, 10_000_000)).toBe(MIN_PILOT_ROWS);
    expect(pilotRowsFor(500, 10_010)).toBe(500);
    const W = synth.encoder.width;
    const plain = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    const cal = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    const fit = calibrateSampler(cal, release, new Rng(3), { pilotRows: 20_000, maxPilotCells: 2000 * W });
    expect(fit.pilotRows).toBe(2000);
    for (const c of fit.columns) expect(c.tvdAfter, c.column).toBeLessThanOrEqual(c.tvdBefore + 1e-9);
    const before = meanTvd(plain.drawBatch(20_000, batchRng(9, 0)), release);
    const after = meanTvd(cal.drawBatch(20_000, batchRng(9, 0)), release);
    expect(after).toBeLessThan(0.5 * before);
  });

  it('hits a target far from the model (gender 80% female) and is deterministic for a seed', () => {
    const far: MarginalRelease = { kind: 'privsynth.marginals', version: 1, rho: 0, marginals: [{ column: 'gender', kind: 'categorical', labels: ['female', 'male'], counts: [800, 200], std: 0 }] };
    const a = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    const b = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    calibrateSampler(a, far, new Rng(4));
    calibrateSampler(b, far, new Rng(4));
    const ca = a.drawBatch(10_000, batchRng(2, 0));
    expect(b.drawBatch(10_000, batchRng(2, 0))).toEqual(ca);
    const g = ca[synth.encoder.columns.indexOf('gender')]!;
    if (g.kind !== 'code') throw new Error('gender should be categorical');
    const female = g.codes.filter((k) => g.labels[k] === 'female').length / 10_000;
    expect(Math.abs(female - 0.8)).toBeLessThan(0.02);
  });

  it('stores as weights-file tensors and loads back to the same samples; a damaged one is a model error', () => {
    const a = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    const fit = calibrateSampler(a, release, new Rng(5), { pilotRows: 8192 });
    const tensors = calibrationTensors(fit, synth.encoder.columns);
    expect(tensors.every((t) => t.name.startsWith('calibration/') && t.data instanceof Float32Array)).toBe(true);
    const loaded = storedCalibration([...synth.engine.exportWeights(), ...tensors], synth.encoder.columns, synth.encoder.width)!;
    expect([...loaded.transports.keys()].sort()).toEqual([...fit.transports.keys()].sort());
    const b = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    installCalibration(b, loaded);
    const ca = a.drawBatch(5000, batchRng(1, 0));
    const cb = b.drawBatch(5000, batchRng(1, 0));
    ca.forEach((c, j) => {
      const d = cb[j]!;
      if (c.kind === 'code' && d.kind === 'code') expect(Array.from(d.codes), synth.encoder.columns[j]).toEqual(Array.from(c.codes));
      else if (c.kind === 'number' && d.kind === 'number') {
        // float32 storage of the curve may move a value across a rounding boundary, rarely
        let differ = 0;
        for (let i = 0; i < 5000; i++) if (Math.abs(c.values[i]! - d.values[i]!) > 1e-6 * Math.max(1, Math.abs(c.values[i]!))) differ++;
        expect(differ, synth.encoder.columns[j]).toBeLessThan(25);
      }
    });
    expect(storedCalibration(synth.engine.exportWeights(), synth.encoder.columns, synth.encoder.width)).toBeNull();
    const broken = tensors.map((t) => (t.name.endsWith('/pg') ? { ...t, data: t.data.slice().reverse() } : t));
    expect(() => storedCalibration(broken, synth.encoder.columns, synth.encoder.width)).toThrow(/stored calibration of column .* is damaged/);
  });

  it('refuses a release of another kind', () => {
    const s = new VaeSampler(synth.encoder, synth.config, synth.engine.exportWeights());
    expect(() => calibrateSampler(s, { kind: 'x', version: 1 } as unknown as MarginalRelease, new Rng(1))).toThrow(/not a marginal release/);
  });
});

describe('shrinkShares', () => {
  // a noisy target 0.6 / 0.4 and a pilot at 0.5 / 0.5; noise std 0.05 a share (v = 0.0025), gap^2 = 0.02
  const target = [0.6, 0.4];
  const pilot = [0.5, 0.5];
  it('shrinks by 1 - B v / gap^2 towards the pilot (B = 2: 1 - 0.005 / 0.02 = 0.75)', () => {
    const r = shrinkShares(target, pilot, 0.0025);
    expect(r.lambda).toBeCloseTo(0.75, 12);
    expect(r.shares[0]!).toBeCloseTo(0.575, 12);
  });
  it("with James-Stein's B - 2 (what calibration passes for categories), a two-valued column is not shrunk", () => {
    const r = shrinkShares(target, pilot, 0.0025, 0);
    expect(r.lambda).toBe(1);
    expect(Array.from(r.shares)).toEqual([0.6, 0.4]);
    // three categories: B - 2 = 1
    expect(shrinkShares([0.5, 0.3, 0.2], [0.4, 0.3, 0.3], 0.0025, 1).lambda).toBeCloseTo(1 - 0.0025 / 0.02, 12);
  });
});
