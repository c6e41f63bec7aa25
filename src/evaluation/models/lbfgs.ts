/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4/7.5) with a backtracking Armijo line search,
 * for the smooth convex losses of the linear models. Deterministic.
 */
export interface LbfgsOptions {
  maxIter?: number;
  /** Stop when ||grad||_inf <= gtol. */
  gtol?: number;
  /** History size. */
  m?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
}

/** Minimise `fg(x, grad)` (returns f(x) and writes the gradient into `grad`) from `x0`. */
export function lbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x0: Float64Array, opts: LbfgsOptions = {}): LbfgsResult {
  const maxIter = opts.maxIter ?? 200;
  const gtol = opts.gtol ?? 1e-6;
  const m = opts.m ?? 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let it = 0;
  for (; it < maxIter; it++) {
    if (normInf(g) <= gtol) return { x, f, iterations: it, converged: true };
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    const k = S.length;
    for (let i = k - 1; i >= 0; i--) {
      alpha[i] = rho[i]! * dot(S[i]!, d);
      axpy(-alpha[i]!, Y[i]!, d);
    }
    if (k > 0) {
      const gamma = dot(S[k - 1]!, Y[k - 1]!) / dot(Y[k - 1]!, Y[k - 1]!);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      const s = 1 / Math.max(1, normInf(g));
      for (let i = 0; i < n; i++) d[i] *= s;
    }
    for (let i = 0; i < k; i++) {
      const beta = rho[i]! * dot(Y[i]!, d);
      axpy(alpha[i]! - beta, S[i]!, d);
    }
    let dg = dot(d, g);
    if (!(dg < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      dg = dot(d, g);
    }
    let step = 1;
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * dg) break;
      step *= 0.5;
    }
    if (!(fNew <= f)) return { x, f, iterations: it, converged: false };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const converged = Math.abs(f - fNew) <= 1e-12 * Math.max(1, Math.abs(f));
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if (converged) return { x, f, iterations: it + 1, converged: true };
  }
  return { x, f, iterations: it, converged: normInf(g) <= gtol };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i]!;
}
function normInf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]!));
  return s;
}
