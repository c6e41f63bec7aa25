/**
 * A monotone map T = G^-1 o F that moves a sample's distribution F onto G, where G is F reweighted
 * bin by bin to target shares: the numeric half of sampler calibration (calibration.ts).
 *
 *   fit: pilot values x (sorted) ──► per bin b model share p_b, target share t_b ──► weight t_b / p_b
 *        per value ──► F (unweighted) and G (weighted) as piecewise-linear CDFs through the same knots
 *        (a target bin without any pilot value: G rises evenly across it while F stays flat)
 *   apply: u = F(x) ──► T(x) = G^-1(u)
 *
 * Atoms: a value the pilot holds more than once (in practice the clamp bounds, e.g. Adult's many
 * capital-gain zeros) is a jump of F; a value equal to it gets u uniform within the jump (randomised
 * probability integral transform), so an atom's mass is spread exactly, not all moved to one point.
 * G's atoms are flat pieces of G^-1: the values of a whole u-range map onto the atom.
 * T is monotone, so the rank order of a column's values (and with it the dependence on other columns)
 * is kept. Values outside the pilot's range are mapped as the pilot's extremes.
 *
 * Evaluation: exact (binary searches) at atoms (found among the atoms of the value's grid cell and its neighbours, equal
 * within 1e-12 of the scale, not by a scan of all of them); elsewhere linear interpolation of T tabulated on a
 * uniform grid of 4,096 cells over the pilot's range (T is piecewise linear through at most 1,024 knots plus the atoms).
 */
import type { Rng } from '../rng.js';
import { fillUniformFast } from '../random/fillUniformFast.js';
import { edgeBin } from './marginals.js';

const MAX_KNOTS = 1024;
const GRID = 4096;
const MIN_PILOT = 50;

export interface MonotoneTransportState {
  px: ArrayLike<number>;
  pf: ArrayLike<number>;
  pg: ArrayLike<number>;
  atoms: number[];
  atomPoint: number[];
  tvdBefore: number;
  tvdAfter: number;
}

export class MonotoneTransport {
  /** Curve points: x, F(x), G(x); an atom contributes two points with the same x. */
  private readonly px: Float64Array;
  private readonly pf: Float64Array;
  private readonly pg: Float64Array;
  private readonly atoms: Float64Array;
  /** For atom a: index of its first point (its second is + 1). */
  private readonly atomPoint: Int32Array;
  private readonly grid: Float64Array;
  /** atomsBefore[g]: how many atoms lie in grid cells below g (the atoms of cell g are [atomsBefore[g], atomsBefore[g + 1])). */
  private readonly atomsBefore: Int32Array;
  private readonly gStart: Int32Array;
  private readonly x0: number;
  private readonly x1: number;
  private readonly invH: number;
  /** Total variation distance of the pilot's bin shares to the targets, before and after the map. */
  tvdBefore = 0;
  tvdAfter = 0;

  private constructor(px: Float64Array, pf: Float64Array, pg: Float64Array, atoms: number[], atomPoint: number[]) {
    this.px = px;
    this.pf = pf;
    this.pg = pg;
    this.atoms = Float64Array.from(atoms);
    this.atomPoint = Int32Array.from(atomPoint);
    this.x0 = px[0]!;
    this.x1 = px[px.length - 1]!;
    this.invH = this.x1 > this.x0 ? GRID / (this.x1 - this.x0) : 0;
    // gStart[c]: the largest q with pg[q] <= c / GRID (so an answer for u in cell c lies in [gStart[c], gStart[c + 1]])
    this.gStart = new Int32Array(GRID + 1);
    for (let c = 0, q = 0; c <= GRID; c++) {
      const uc = c / GRID;
      while (q + 1 < pg.length && pg[q + 1]! <= uc) q++;
      this.gStart[c] = q;
    }
    this.gStart[GRID] = pg.length - 1;
    // an atom's grid cell by the same arithmetic as apply's, so a value equal to it finds it in its cell
    this.atomsBefore = new Int32Array(GRID + 1);
    for (const a of this.atoms) this.atomsBefore[this.cell(a) + 1]!++;
    for (let g = 0; g < GRID; g++) this.atomsBefore[g + 1]! += this.atomsBefore[g]!;
    this.grid = new Float64Array(GRID + 1);
    for (let g = 0; g <= GRID; g++) {
      const x = this.x1 > this.x0 ? this.x0 + (g * (this.x1 - this.x0)) / GRID : this.x0;
      this.grid[g] = this.ginv(this.f(x, 0.5));
    }
  }

  /**
   * Fit on pilot values (present values of the column, unrounded), inner bin edges (values outside go
   * to the end bins, as measureMarginals counts them) and target counts per inner bin (>= 0). Returns
   * null when there is nothing to do: too few pilot values, or no target mass where the pilot is.
   */
  static fit(values: Float64Array, edges: readonly number[], targetCounts: readonly number[], rng: Rng): MonotoneTransport | null {
    const N = values.length;
    const B = edges.length - 1;
    if (N < MIN_PILOT || B < 1 || targetCounts.length !== B) return null;
    const s = Float64Array.from(values).sort();
    const bin = (v: number): number => edgeBin(edges, v);
    const bins = new Int32Array(N);
    const p = new Float64Array(B);
    for (let i = 0; i < N; i++) p[(bins[i] = bin(s[i]!))]!++;
    let reach = 0;
    let all = 0;
    for (let b = 0; b < B; b++) {
      all += targetCounts[b]!;
      if (p[b]! > 0) reach += targetCounts[b]!;
    }
    if (!(reach > 0)) return null;
    // A target bin the pilot does not reach gets its share spread evenly over the bin (G rises there, F is flat),
    // instead of being dropped and the rest renormalised: with UCI Adult's capital-gain modes at 7,566 and 15,010
    // only, the release's mass at 3,000-5,000 went to the zeros (0.919 released, 0.959 sampled).
    const empty: number[] = [];
    let norm = reach;
    for (let b = 0; b < B; b++) if (!(p[b]! > 0) && targetCounts[b]! > 0 && edges[b + 1]! > edges[b]!) (empty.push(b), (norm += targetCounts[b]!));
    const w = new Float64Array(N);
    for (let i = 0; i < N; i++) w[i] = targetCounts[bins[i]!]! / norm / p[bins[i]!]!;
    // knots: distinct values with their counts and weights
    const kx: number[] = [];
    const kc: number[] = [];
    const kw: number[] = [];
    for (let i = 0; i < N; ) {
      let j = i;
      let sw = 0;
      while (j < N && s[j] === s[i]) sw += w[j++]!;
      kx.push(s[i]!);
      kc.push(j - i);
      kw.push(sw);
      i = j;
    }
    // keep every atom and at most MAX_KNOTS other knots (quantile-spaced): the curve between kept knots is linear
    const K = kx.length;
    const stride = Math.max(1, Math.ceil(K / MAX_KNOTS));
    const px: number[] = [];
    const pf: number[] = [];
    const pg: number[] = [];
    const atoms: number[] = [];
    const atomPoint: number[] = [];
    let cf = 0;
    let cg = 0;
    let e = 0;
    // the empty bins below x: two points each, F flat, G up by the bin's share (just inside the bin's upper edge,
    // which may be a pilot value of the next bin)
    const fillBelow = (x: number): void => {
      for (; e < empty.length && edges[empty[e]! + 1]! <= x; e++) {
        const lo = edges[empty[e]!]!;
        const hi = edges[empty[e]! + 1]!;
        px.push(lo, hi - 1e-9 * (hi - lo));
        pf.push(cf, cf);
        pg.push(cg, (cg += targetCounts[empty[e]!]! / norm));
      }
    };
    for (let k = 0; k < K; k++) {
      fillBelow(kx[k]!);
      const f0 = cf;
      const g0 = cg;
      cf += kc[k]! / N;
      cg += kw[k]!;
      if (kc[k]! >= 2) {
        atoms.push(kx[k]!);
        atomPoint.push(px.length);
        px.push(kx[k]!, kx[k]!);
        pf.push(f0, cf);
        pg.push(g0, cg);
      } else if (k === 0 || k === K - 1 || k % stride === 0) {
        px.push(kx[k]!);
        pf.push((f0 + cf) / 2);
        pg.push((g0 + cg) / 2);
      }
    }
    fillBelow(Infinity);
    const t = new MonotoneTransport(Float64Array.from(px), Float64Array.from(pf), Float64Array.from(pg), atoms, atomPoint);
    const tvd = (x: Float64Array): number => {
      const q = new Float64Array(B);
      for (let i = 0; i < x.length; i++) q[bin(x[i]!)]!++;
      let d = 0;
      for (let b = 0; b < B; b++) d += Math.abs(q[b]! / x.length - (all > 0 ? targetCounts[b]! / all : 0));
      return d / 2;
    };
    t.tvdBefore = tvd(values);
    const moved = Float64Array.from(values);
    t.apply(moved, rng);
    t.tvdAfter = tvd(moved);
    return t;
  }

  /** Plain state (typed arrays), e.g. to hand to a worker thread. */
  state(): MonotoneTransportState {
    return { px: this.px, pf: this.pf, pg: this.pg, atoms: Array.from(this.atoms), atomPoint: Array.from(this.atomPoint), tvdBefore: this.tvdBefore, tvdAfter: this.tvdAfter };
  }

  static fromState(s: MonotoneTransportState): MonotoneTransport {
    const t = new MonotoneTransport(Float64Array.from(s.px), Float64Array.from(s.pf), Float64Array.from(s.pg), s.atoms, s.atomPoint);
    t.tvdBefore = s.tvdBefore;
    t.tvdAfter = s.tvdAfter;
    return t;
  }

  /** The grid cell of x in [x0, x1] (apply's arithmetic). */
  private cell(x: number): number {
    const g = Math.floor((x - this.x0) * this.invH);
    return g >= GRID ? GRID - 1 : g;
  }

  /** Map every non-NaN value in place (uniforms for atoms from `rng`). */
  apply(values: Float64Array, rng: Rng): void {
    const n = values.length;
    const u = this.atoms.length ? fillUniformFast(rng, new Float64Array(n)) : null;
    const { grid, x0, x1, invH, atoms, atomsBefore } = this;
    for (let i = 0; i < n; i++) {
      let x = values[i]!;
      if (x !== x) continue;
      if (x <= x0) x = x0;
      else if (x >= x1) x = x1;
      const gpos = (x - x0) * invH;
      let g = Math.floor(gpos);
      if (g >= GRID) g = GRID - 1;
      // an atom? only those in x's grid cell (or next to it) can equal it (usually none). Equal within 1e-12 of the
      // scale: a stored transport's knots come back from two float32 halves (calibrationTensors), 1e-15 off, and an
      // exact test missed every atom that is not a float32-exact value (a mode's saturated end, mean +- 4 std): on
      // UCI Adult, education-num's atom at 8.88 went whole to 8 (sampled 4,406 eights in 30,000, real 354 in 26,048)
      let a = -1;
      const tol = 1e-12 * Math.max(Math.abs(x), x1 - x0);
      for (let j = atomsBefore[g > 0 ? g - 1 : 0]!, end = atomsBefore[g + 2 <= GRID ? g + 2 : GRID]!; j < end; j++) {
        if (Math.abs(atoms[j]! - x) <= tol) {
          a = j;
          break;
        }
      }
      if (a >= 0) {
        const k = this.atomPoint[a]!;
        values[i] = this.ginv(this.pf[k]! + u![i]! * (this.pf[k + 1]! - this.pf[k]!));
        continue;
      }
      const lo = grid[g]!;
      values[i] = lo + (gpos - g) * (grid[g + 1]! - lo);
    }
  }

  /** F(x) for x not at an atom (at an atom: the point `frac` of the way up its jump). */
  private f(x: number, frac: number): number {
    const px = this.px;
    const pf = this.pf;
    const last = px.length - 1;
    if (x <= px[0]!) return pf[0]!;
    if (x >= px[last]!) return pf[last]!;
    // largest p with px[p] <= x
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (px[mid]! <= x) lo = mid;
      else hi = mid - 1;
    }
    if (px[lo] === x && lo > 0 && px[lo - 1] === x) return pf[lo - 1]! + frac * (pf[lo]! - pf[lo - 1]!);
    if (px[lo] === x || lo === last) return pf[lo]!;
    return pf[lo]! + ((x - px[lo]!) / (px[lo + 1]! - px[lo]!)) * (pf[lo + 1]! - pf[lo]!);
  }

  /** G^-1(u): the x where G reaches u (interpolated between points; an atom for u within its jump). */
  private ginv(u: number): number {
    const px = this.px;
    const pg = this.pg;
    const last = px.length - 1;
    if (u <= pg[0]!) return px[0]!;
    if (u >= pg[last]!) return px[last]!;
    // largest q with pg[q] <= u, searched within the u-grid cell's range of knots
    const c = Math.min(GRID - 1, Math.floor(u * GRID));
    let lo = this.gStart[c]!;
    let hi = this.gStart[c + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (pg[mid]! <= u) lo = mid;
      else hi = mid - 1;
    }
    if (lo === last) return px[last]!;
    const dg = pg[lo + 1]! - pg[lo]!;
    if (!(dg > 0)) return px[lo + 1]!;
    return px[lo]! + ((u - pg[lo]!) / dg) * (px[lo + 1]! - px[lo]!);
  }
}
