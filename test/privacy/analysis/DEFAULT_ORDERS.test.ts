import { describe, expect, it } from 'vitest';
import { DEFAULT_ORDERS } from '../../../src/privacy/analysis/DEFAULT_ORDERS.js';

describe('DEFAULT_ORDERS', () => {
  it('contains 1.1..10.9, 11..63 and the large orders, sorted, with exact integers', () => {
    expect(DEFAULT_ORDERS[0]).toBe(1.1);
    expect(DEFAULT_ORDERS).toContain(2);
    expect(DEFAULT_ORDERS).toContain(10.9);
    for (let a = 11; a <= 63; a++) expect(DEFAULT_ORDERS).toContain(a);
    for (const a of [64, 80, 96, 128, 256, 512]) expect(DEFAULT_ORDERS).toContain(a);
    expect(DEFAULT_ORDERS.length).toBe(99 + 53 + 6);
    for (let k = 1; k < DEFAULT_ORDERS.length; k++) expect(DEFAULT_ORDERS[k]!).toBeGreaterThan(DEFAULT_ORDERS[k - 1]!);
    expect(Object.isFrozen(DEFAULT_ORDERS)).toBe(true);
  });

  it('is a superset of the Opacus default alphas', () => {
    const opacus = [...Array.from({ length: 99 }, (_, k) => 1 + (k + 1) / 10), ...Array.from({ length: 52 }, (_, k) => 12 + k)];
    for (const a of opacus) expect(DEFAULT_ORDERS.some((b) => Math.abs(a - b) < 1e-12)).toBe(true);
  });
});
