/**
 * Conformance suite over EVERY registered transformer (as sdv-dev/RDT's integration tests): fit on
 * seeded generated data, transform, reverse, JSON round trip, no raw rows in the state.
 * Adding a transformer to the registry without a case here fails the first test.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnSpec, ColumnType } from '../../src/metadata/Metadata.js';
import type { Cell } from '../../src/table/Table.js';
import { Rng } from '../../src/rng.js';
import { BaseTransformer } from '../../src/transformers/BaseTransformer.js';
import { registeredTransformerTypes, transformerFor, transformerFromJSON } from '../../src/transformers/registry.js';
import { InputError, ModelError } from '../../src/errors.js';

const DAY = 86_400_000;

interface Case {
  label: string;
  /** Registered type this case exercises (the outer transformer's type). */
  type: string;
  spec: ColumnSpec;
  gen: (n: number, rng: Rng) => Cell[];
}

function spec(name: string, type: ColumnType, extra: Partial<ColumnSpec> = {}): ColumnSpec {
  return { name, type, action: 'keep', nullable: false, ...extra };
}

const bimodal = (rng: Rng, decimals: number) => {
  const f = 10 ** decimals;
  const x = rng.uniform() < 0.7 ? 40 + 8 * rng.normal() : 120 + 3 * rng.normal();
  return Math.round(x * f) / f;
};
const withNulls = (rate: number, g: (rng: Rng) => Cell) => (n: number, rng: Rng) => Array.from({ length: n }, () => (rng.uniform() < rate ? null : g(rng)));

const CASES: Case[] = [
  { label: 'numeric, 2 decimals, bimodal', type: 'ClusterBasedNormalizer', spec: spec('amount', 'numeric', { decimals: 2 }), gen: (n, r) => Array.from({ length: n }, () => bimodal(r, 2)) },
  { label: 'integer, skewed counts', type: 'ClusterBasedNormalizer', spec: spec('count', 'integer'), gen: (n, r) => Array.from({ length: n }, () => Math.floor(-20 * Math.log(1 - r.uniform()))) },
  { label: 'numeric constant', type: 'ClusterBasedNormalizer', spec: spec('flat', 'numeric'), gen: (n) => Array.from({ length: n }, () => 3.25) },
  {
    label: 'datetime as dates',
    type: 'DatetimeTransformer',
    spec: spec('day', 'datetime', { format: 'date' }),
    gen: (n, r) => Array.from({ length: n }, () => Date.UTC(2020, 0, 1) + Math.floor(r.uniform() * 900) * DAY),
  },
  {
    label: 'datetime with seconds',
    type: 'DatetimeTransformer',
    spec: spec('at', 'datetime', { format: 'datetime' }),
    gen: (n, r) => Array.from({ length: n }, () => Date.UTC(2023, 5, 1) + Math.floor(r.normal() * 30 * DAY / 1000) * 1000),
  },
  {
    label: 'categorical with missing',
    type: 'OneHotEncoder',
    spec: spec('colour', 'categorical', { nullable: true }),
    gen: withNulls(0.1, (r) => ['red', 'green', 'blue', 'a "quoted", value', 'ünïcode'][r.categorical([5, 3, 1, 0.5, 0.5])]!),
  },
  { label: 'boolean', type: 'OneHotEncoder', spec: spec('flag', 'boolean', { categories: ['no', 'yes'] }), gen: (n, r) => Array.from({ length: n }, () => (r.uniform() < 0.3 ? 'yes' : 'no')) },
  { label: 'nullable numeric', type: 'MissingIndicator', spec: spec('income', 'numeric', { nullable: true, decimals: 0 }), gen: withNulls(0.2, (r) => bimodal(r, 0) * 1000) },
  {
    label: 'nullable date',
    type: 'MissingIndicator',
    spec: spec('born', 'datetime', { nullable: true, format: 'date' }),
    gen: withNulls(0.3, (r) => Date.UTC(1950, 0, 1) + Math.floor(r.uniform() * 20000) * DAY),
  },
];

function fitted(c: Case, n: number, seed: number): { t: BaseTransformer; values: Cell[] } {
  const values = c.gen(n, new Rng(seed));
  const t = transformerFor(c.spec)!;
  expect(t.type).toBe(c.type);
  t.fit(values, c.spec, new Rng(seed + 1));
  return { t, values };
}

/** Encode into a wider buffer at an offset, to exercise stride/offset handling. */
function encode(t: BaseTransformer, values: Cell[], seed: number) {
  const pad = 3;
  const stride = t.width + pad + 2;
  const out = new Float32Array(values.length * stride).fill(-7);
  t.transform(values, out, stride, pad, new Rng(seed));
  return { out, stride, offset: pad };
}

function rawArrays(state: unknown, minLen: number): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      if (v.length >= minLen) found.push(`${path} (length ${v.length})`);
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
    } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(state, '$');
  return found;
}

describe('transformer conformance', () => {
  it('every registered transformer type has a conformance case', () => {
    const covered = new Set(CASES.map((c) => c.type));
    expect(registeredTransformerTypes().filter((t) => !covered.has(t))).toEqual([]);
  });

  describe.each(CASES)('$type: $label', (c) => {
    const N = 3000;

    it('spans cover the width; encoded blocks are valid; padding untouched', () => {
      const { t, values } = fitted(c, N, 11);
      const widths = t.spans.map((s) => (s.kind === 'tanh' ? 1 : s.width));
      expect(widths.reduce((a, b) => a + b, 0)).toBe(t.width);
      const { out, stride, offset } = encode(t, values, 5);
      for (let i = 0; i < N; i++) {
        const base = i * stride;
        for (let j = 0; j < offset; j++) expect(out[base + j]).toBe(-7);
        for (let j = offset + t.width; j < stride; j++) expect(out[base + j]).toBe(-7);
        let p = base + offset;
        for (const s of t.spans) {
          if (s.kind === 'tanh') {
            expect(Math.abs(out[p]!)).toBeLessThanOrEqual(0.99 + 1e-6);
            p += 1;
          } else {
            let ones = 0;
            for (let j = 0; j < s.width; j++) {
              expect(out[p + j] === 0 || out[p + j] === 1).toBe(true);
              ones += out[p + j]!;
            }
            expect(ones).toBe(1);
            p += s.width;
          }
        }
      }
    });

    it('reverse(transform(x)) reproduces the column (no sigmas)', () => {
      const { t, values } = fitted(c, N, 12);
      const { out, stride, offset } = encode(t, values, 6);
      const back = t.reverse(out, N, stride, offset, new Rng(7));
      expect(back).toHaveLength(N);
      // Missing preserved exactly.
      expect(back.map((v) => v === null)).toEqual(values.map((v) => v === null));
      if (t.valueKind === 'string') {
        expect(back).toEqual(values); // categories exact
        return;
      }
      const present = values.filter((v): v is number => v !== null);
      const lo = Math.min(...present);
      const hi = Math.max(...present);
      let exact = 0;
      for (let i = 0; i < N; i++) {
        const v = values[i];
        const b = back[i];
        if (v === null) continue;
        expect(typeof b).toBe('number');
        expect(b as number).toBeGreaterThanOrEqual(lo);
        expect(b as number).toBeLessThanOrEqual(hi);
        if (c.spec.type === 'integer') expect(Number.isInteger(b)).toBe(true);
        if (c.spec.format === 'date') expect(Math.abs((b as number) % DAY)).toBe(0);
        if (Math.abs((b as number) - (v as number)) <= 1e-6 * Math.max(1, hi - lo)) exact++;
      }
      // Alpha is clipped to ±0.99 (3.96 std): a value only comes back changed when the sampled mode is
      // far from it, which the +1e-6 smoothing of the posterior makes rare.
      expect(exact / present.length).toBeGreaterThan(0.995);
    });

    it('with sigmas, reverse stays within bounds and keeps kinds', () => {
      const { t, values } = fitted(c, 500, 13);
      const { out, stride, offset } = encode(t, values, 8);
      const sigmas = new Float32Array(stride).fill(0.5);
      const back = t.reverse(out, 500, stride, offset, new Rng(9), sigmas);
      const present = values.filter((v): v is number | string => v !== null);
      for (const b of back) {
        if (b === null) continue;
        if (typeof b === 'string') expect(present).toContain(b);
        else {
          expect(b).toBeGreaterThanOrEqual(Math.min(...(present as number[])));
          expect(b).toBeLessThanOrEqual(Math.max(...(present as number[])));
        }
      }
    });

    it('encoding in chunks, one generator continued across them, equals one call (what TableEncoder.encodeRows relies on)', () => {
      const { t, values } = fitted(c, N, 16);
      const whole = encode(t, values, 17);
      const out = new Float32Array(N * whole.stride).fill(-7);
      const rng = new Rng(17);
      for (const [a, b] of [[0, 1], [1, 700], [700, 701], [701, N]] as const) {
        t.transform(values.slice(a, b), out.subarray(a * whole.stride, b * whole.stride), whole.stride, whole.offset, rng, a);
      }
      expect(out).toEqual(whole.out);
    });

    it('JSON round trip gives identical transform and reverse; fittedFrom recorded', () => {
      const { t, values } = fitted(c, N, 14);
      const state = JSON.parse(JSON.stringify(t.toJSON()));
      expect(state.fittedFrom).toBe('data');
      const t2 = transformerFromJSON(state);
      expect(t2.type).toBe(t.type);
      expect(t2.fittedFrom).toBe('data');
      expect(t2.toJSON()).toEqual(t.toJSON());
      const a = encode(t, values, 21);
      const b = encode(t2, values, 21);
      expect(b.out).toEqual(a.out);
      const sigmas = new Float32Array(a.stride).fill(0.1);
      expect(t2.reverse(a.out, N, a.stride, a.offset, new Rng(3), sigmas)).toEqual(t.reverse(a.out, N, a.stride, a.offset, new Rng(3), sigmas));
    });

    it('state holds fitted parameters only: its size does not grow with n', () => {
      // The number of kept modes may differ between fits (at most 10), so the bound is additive.
      const small = JSON.stringify(fitted(c, 300, 15).t.toJSON());
      const bigT = fitted(c, 10000, 15).t;
      const big = JSON.stringify(bigT.toJSON());
      expect(big.length).toBeLessThan(small.length + 1000);
      expect(big.length).toBeLessThan(2500);
      expect(rawArrays(bigT.toJSON(), 50)).toEqual([]);
    });

    it('is deterministic given the seeds', () => {
      const a = fitted(c, 1000, 16);
      const b = fitted(c, 1000, 16);
      expect(b.t.toJSON()).toEqual(a.t.toJSON());
      expect(encode(b.t, b.values, 4).out).toEqual(encode(a.t, a.values, 4).out);
    });

    it('names the column and row of a value of the wrong kind', () => {
      const { t, values } = fitted(c, 50, 17);
      const bad = [...values];
      bad[9] = t.valueKind === 'number' ? 'abc' : 42;
      const out = new Float32Array(50 * t.width);
      let err: unknown;
      try {
        t.transform(bad, out, t.width, 0, new Rng(1));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).location).toEqual({ column: c.spec.name, row: 10 });
      expect((err as Error).message).toContain(`column "${c.spec.name}", row 10`);
    });
  });
});

describe('transformer errors and special paths', () => {
  it('refuses use before fit, and unknown / damaged states', () => {
    const t = transformerFor(spec('x', 'numeric'))!;
    expect(() => t.width).toThrow(/before it was fitted/);
    expect(() => transformerFromJSON({ type: 'Nope', column: 'x', version: 1 })).toThrow(ModelError);
    expect(() => transformerFromJSON({ type: 'Nope', column: 'x', version: 1 })).toThrow(/unknown transformer type "Nope" for column "x"; known types: ClusterBasedNormalizer/);
    expect(() => transformerFromJSON({ type: 'OneHotEncoder', column: 'x', version: 99, fittedFrom: 'data' })).toThrow(/version 99/);
    expect(() => transformerFromJSON({ type: 'ClusterBasedNormalizer', column: 'x', version: 1, fittedFrom: 'data', maxClusters: 10, weightThreshold: 0.005, means: [1], stds: [0], weights: [1], min: 0, max: 1, decimals: null })).toThrow(/is invalid/);
    expect(() => transformerFromJSON('hello')).toThrow(/must be an object/);
  });

  it('a missing value in a non-nullable numeric column names the column, row and fix', () => {
    const s = spec('age', 'integer');
    const t = transformerFor(s)!;
    expect(() => t.fit([1, 2, null, 4], s, new Rng(1))).toThrow(/column "age", row 3: missing value.*not declared nullable/);
  });

  it('unknown category: error naming column and value, or the other bucket', () => {
    const s = spec('colour', 'categorical');
    const strict = transformerFor(s)!.fit(['a', 'b', 'a'], s, new Rng(1));
    expect(() => strict.transform(['a', 'zz'], new Float32Array(2 * strict.width), strict.width, 0, new Rng(1))).toThrow(/column "colour", row 2: unknown category "zz"/);

    const loose = transformerFor(s, { categorical: { unknown: 'other', otherLabel: 'OTHER' } })!.fit(['a', 'b', 'a'], s, new Rng(1));
    expect(loose.width).toBe(3);
    const out = new Float32Array(2 * loose.width);
    loose.transform(['a', 'zz'], out, loose.width, 0, new Rng(1));
    expect(Array.from(out)).toEqual([1, 0, 0, 0, 0, 1]);
    expect(loose.reverse(out, 2, loose.width, 0, new Rng(1))).toEqual(['a', 'OTHER']);
  });

  it('declared categories: fitDeclared needs public: true and reads no data', async () => {
    const { OneHotEncoder } = await import('../../src/transformers/OneHotEncoder.js');
    const s = spec('flag', 'boolean', { categories: ['false', 'true'] });
    expect(() => new OneHotEncoder('flag').fitDeclared(s)).toThrow(/public is not true/);
    const t = new OneHotEncoder('flag').fitDeclared({ ...s, public: true });
    expect(t.fittedFrom).toBe('declared');
    expect(t.readsPrivateData).toBe(false);
    expect(t.toJSON().fittedFrom).toBe('declared');
    expect(t.fittedCategories).toEqual(['false', 'true']);
  });

  it('fitFromSummary (DP path) for numeric, datetime, nullable and categorical columns', async () => {
    const { ClusterBasedNormalizer } = await import('../../src/transformers/ClusterBasedNormalizer.js');
    const { OneHotEncoder } = await import('../../src/transformers/OneHotEncoder.js');
    const { MissingIndicator } = await import('../../src/transformers/MissingIndicator.js');
    // A noisy histogram of a two-mode column.
    const centres = Float64Array.from({ length: 40 }, (_, j) => j * 5 + 2.5);
    const noise = new Rng(2);
    const counts = Float64Array.from(centres, (c) => 1000 * Math.exp(-0.5 * ((c - 50) / 10) ** 2) + 400 * Math.exp(-0.5 * ((c - 150) / 8) ** 2) + 4 * noise.normal());
    const s = spec('v', 'integer', { nullable: true });
    const t = new MissingIndicator(new ClusterBasedNormalizer('v')).fitFromSummary({ points: centres, weights: counts, min: 0, max: 200 }, s, new Rng(3));
    expect(t.fittedFrom).toBe('summary');
    expect(t.toJSON().fittedFrom).toBe('summary');
    const modes = t.inner.modes.means.slice().sort((a, b) => a - b);
    expect(modes.some((m) => Math.abs(m - 50) < 8)).toBe(true);
    expect(modes.some((m) => Math.abs(m - 150) < 8)).toBe(true);
    const values = [42, null, 55, 149, 160, 38];
    const out = new Float32Array(values.length * t.width);
    t.transform(values, out, t.width, 0, new Rng(4));
    expect(t.reverse(out, values.length, t.width, 0, new Rng(5))).toEqual(values);

    const cat = new OneHotEncoder('c', { unknown: 'other', minFrequency: 5 }).fitFromSummary({ categories: ['x', 'y', 'rare'], frequencies: [100, 40, 2] }, spec('c', 'categorical'));
    expect(cat.fittedCategories).toEqual(['x', 'y']);
    expect(cat.fittedFrom).toBe('summary');

    expect(() => new ClusterBasedNormalizer('v').fitFromSummary({ points: centres, weights: new Float64Array(40).fill(-1), min: 0, max: 1 }, spec('v', 'numeric'), new Rng(1))).toThrow(
      /no positive weight/,
    );
  });

  it('an all-missing nullable column is a clear error', () => {
    const s = spec('empty', 'numeric', { nullable: true });
    expect(() => transformerFor(s)!.fit([null, null], s, new Rng(1))).toThrow(/every value is missing/);
  });

  it('declared bounds clip the output; datetime bounds may be ISO strings', () => {
    const s = spec('d', 'datetime', { format: 'date', min: '2020-01-01', max: '2020-12-31' });
    const t = transformerFor(s)!.fit([Date.UTC(2020, 0, 1), Date.UTC(2020, 6, 1), Date.UTC(2020, 11, 31)], s, new Rng(1));
    const enc = new Float32Array(t.width);
    enc[0] = 1; // alpha at the top of the first mode, far past the bound
    enc[1] = 1;
    const [v] = t.reverse(enc, 1, t.width, 0, new Rng(1), new Float32Array(t.width).fill(5));
    expect(v).toBeGreaterThanOrEqual(Date.UTC(2020, 0, 1));
    expect(v).toBeLessThanOrEqual(Date.UTC(2020, 11, 31));
  });
});
