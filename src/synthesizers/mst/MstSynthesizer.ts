/**
 * MST (McKenna, Miklau & Sheldon 2021, "Winning the NIST Contest: A scalable and general approach to
 * differentially private synthetic data", J. Privacy and Confidentiality; private-pgm's mechanisms/mst.py),
 * in TypeScript.
 *
 *   typed Table ──► fitPrivateEncoder (the project's DP preprocessing: noisy row count, DP or declared
 *                   bounds, DP or declared categories; its share of the budget) ──► discrete domains
 *               ──► one-way marginals, Gaussian (rho/3) ──► compress: values whose noisy count is under
 *                   3 sigma merge into one code (as mst.py's compress_domain)
 *               ──► select: r-1 rounds of the exponential mechanism (rho/3) over the L1 error of every
 *                   pair's 2-way marginal against the independent model fitted to the one-way measurements,
 *                   adding one edge of a maximum spanning tree per round (Kruskal, never closing a cycle)
 *               ──► the tree's 2-way marginals, Gaussian (rho/3)
 *               ──► Private-PGM estimation on the tree (TreeModel.ts: mirror descent, exact BP marginals)
 *   sample: ancestral sampling on the tree ──► compressed code → bin (by its noisy one-way share) ──► value
 *
 * Privacy (add/remove one row, zCDP composed by the project's RDP ledger): every Gaussian measurement has
 * L2 sensitivity 1 (a row is in one cell of a marginal) and std sigma, rho = 1 / (2 sigma^2); each selection
 * round is an epsilon-DP exponential mechanism with a sensitivity-1 score, which is epsilon^2/8-zCDP (it
 * satisfies bounded range; Cesar & Rogers 2021, "Bounding, concentrating, and truncating: unifying privacy
 * loss composition for data analytics", Lemma 3.2; the bound mst.py uses). Each release is one ledger entry.
 * Differences from mst.py: numeric columns are binned here from DP or declared bounds (mst.py takes a
 * discrete domain as given); the bin count follows the expected one-way signal-to-noise.
 */
import { PrivacyError, ModelError, BudgetError, ModelVersionError, InternalError } from '../../errors.js';
import type { ColumnSpec, Metadata } from '../../metadata/Metadata.js';
import { modelledColumns } from '../../metadata/Metadata.js';
import type { Cell, Table } from '../../table/Table.js';
import { Rng } from '../../rng.js';
import type { PrivacyLedger } from '../../privacy/PrivacyLedger.js';
import { planBudget } from '../../privacy/planBudget.js';
import { gaussianRho, gaussianStdForRho } from '../../privacy/analysis/zcdp.js';
import { fitPrivateEncoder, preprocessingShareFor, preprocessingUnits, structuralCategories } from '../fitPrivateEncoder.js';
import { givenCounts } from '../../sampling/marginals.js';
import { encodedColumns } from '../../transformers/TableEncoder.js';
import type { FittedTableSynthesizer, TableFitOptions, TableSynthesizer } from '../Synthesizer.js';
import { columnDomain, decodeValue, domainSize, encodeColumn, isNumericType, type ColumnDomain } from './discretize.js';
import { cumulative, drawCumulative, estimateTreeModel, sampleTree, type Measurement, type TreeMarginals } from './TreeModel.js';
import * as msg from '../../messages.js';

export const MST_STATE_KIND = 'privsynth.mst';
export const MST_STATE_VERSION = 1;

export const MST_DEFAULTS = {
  /** The least share of the budget (as zCDP rho) for DP preprocessing (fitPrivateEncoder); see mstPreprocessingShare. */
  preprocessingShare: 0.1,
  thresholdDeltaShare: 0.1,
  /** Numeric bins: floor(noisy rows / (binSignal * one-way noise std)), within [minBins, maxBins]. */
  binSignal: 2,
  minBins: 4,
  maxBins: 32,
  /** Compression threshold, in one-way noise stds (mst.py: 3). */
  compressSigmas: 3,
  /** Mirror-descent iterations (the selection estimate and the final estimate). */
  iterations: 1000,
};

/** A compressed code: the original codes it stands for, with weights (noisy one-way counts, clamped). */
interface Group {
  codes: number[];
  weights: number[];
}

export interface MstState {
  kind: typeof MST_STATE_KIND;
  version: number;
  domains: ColumnDomain[];
  /** Per column, its compressed codes. */
  groups: Group[][];
  /** Tree edges between column indices. */
  edges: [number, number][];
  /** The estimated (post-processed) marginals of the tree model, as probabilities. */
  marginals: { nodes: number[][]; edges: number[][] };
  /** Estimated row count (from noisy measurements). */
  estimatedRows: number;
  settings: { bins: number; iterations: number; sigmaOneWay: number; sigmaTwoWay: number; epsilonPerRound: number };
}

export interface MstOptions {
  iterations?: number;
  maxBins?: number;
}

function measure(codes: Int32Array | null, cells: number, std: number, rng: Rng, counts?: Float64Array): Float64Array {
  const x = counts ?? new Float64Array(cells);
  if (codes) for (let r = 0; r < codes.length; r++) x[codes[r]!]!++;
  for (let i = 0; i < cells; i++) x[i]! += std * rng.normal(); // unclamped: clamping biases every empty cell upwards
  return x;
}

/**
 * MST's default preprocessing share (zCDP rho, a function of the public schema only, so free to choose).
 * fitPrivateEncoder splits its share over weighted units (count 1, bounds 1.5, histogram 1.5 or 2, categories
 * 1.5); MST uses the count, the bounds and the released categories, not the histograms. With data-dependent
 * bounds or categories, the share makes a 1.5-unit release as precise as one column's one-way marginal
 * (share * 1.5 / units = (1 - share) / (3 d)), at least dp-vae's preprocessingShareFor, at most 0.5: under
 * dp-vae's 0.1, german-credit at epsilon 1 kept one category of credit_history and two of purpose (1-TVD 0.53).
 * With every bound and category declared public (the CPS demo), only the row count is needed: 0.05.
 */
export function mstPreprocessingShare(modelled: readonly ColumnSpec[]): number {
  const { units } = preprocessingUnits(modelled);
  const d = encodedColumns(modelled).length;
  const dataDependent = encodedColumns(modelled).some((c) => (isNumericType(c.type) ? !(c.public && c.min !== undefined && c.max !== undefined) : !(c.public && Array.isArray(c.categories) && c.categories.length > 0) && !structuralCategories(c)));
  if (!dataDependent) return 0.05;
  return Math.min(0.5, Math.max(preprocessingShareFor(modelled, MST_DEFAULTS.preprocessingShare), units / (units + 4.5 * d)));
}

/** How the budget left after preprocessing is split (zCDP rho): mst.py's thirds; all of it to the one-way marginal of a single column. */
export function mstSplit(rest: number, columns: number): { oneWay: number; select: number; twoWay: number } {
  return columns > 1 ? { oneWay: rest / 3, select: rest / 3, twoWay: rest / 3 } : { oneWay: rest, select: 0, twoWay: 0 };
}

/**
 * Fit MST on a typed table (see coerceTable). Every release goes into `opts.ledger`, whose target must be `opts.dp`.
 * @throws PrivacyError E_PRIVACY without a budget, E_BUDGET when the budget cannot be met.
 */
export function fitMst(table: Table, metadata: Metadata, opts: TableFitOptions & MstOptions): MstModel {
  const dp = opts.dp;
  if (!dp) {
    throw new PrivacyError(msg.synthesizerNeedsBudget('mst'), { hint: msg.HINT_PASS_EPSILON });
  }
  const ledger = opts.ledger;
  if (!ledger.target || ledger.target.epsilon !== dp.epsilon || ledger.target.delta !== dp.delta || ledger.entries.length) throw new PrivacyError(msg.MST_LEDGER_NOT_EMPTY);
  const rng = new Rng(opts.seed).fork('mst');
  const modelled = modelledColumns(metadata);
  if (!modelled.length) throw new PrivacyError(msg.NO_COLUMN_TO_MODEL, { hint: msg.HINT_KEEP_ONE_COLUMN });
  const { thresholded } = preprocessingUnits(modelled);
  const plan = planBudget({ epsilon: dp.epsilon, delta: dp.delta, preprocessingShare: dp.preprocessingShare ?? mstPreprocessingShare(modelled), thresholdDeltaShare: thresholded > 0 ? MST_DEFAULTS.thresholdDeltaShare : 0 });
  // the budget after preprocessing, a hair under the exact split so rounding cannot exceed the target
  const rest = (plan.totalRho - plan.preprocessingRho) * (1 - 1e-9);
  if (!(rest > 0)) throw new BudgetError(msg.NO_BUDGET_FOR_MARGINALS, { hint: msg.HINT_RAISE_EPSILON_OR_LOWER_SHARE });
  const d = encodedColumns(modelled).length;
  const split = mstSplit(rest, d);
  const rho1 = split.oneWay;
  const rhoSel = split.select;
  const rho2 = split.twoWay;
  const sigma1 = gaussianStdForRho(1, rho1 / d);
  // ---- 1. the project's DP preprocessing: bounds, categories, nullability, row count (ledgered inside). A
  // categorical column's one-way part (rho1 / d) is spent in its category release, whose counts are then its
  // one-way measurement: one release, not two (a lower threshold, less noisy counts)
  const pre = fitPrivateEncoder(table, modelled, { preprocessingRho: plan.preprocessingRho, thresholdDelta: plan.thresholdDelta, ledger, rng: rng.fork('dp-preprocessing'), categoryMarginalRho: rho1 / d, heaping: false, onWarning: opts.onWarning });
  const specs: ColumnSpec[] = pre.columns;
  if (specs.length !== d) throw new InternalError(`fitPrivateEncoder returned ${specs.length} columns for ${d}`);
  const maxBins = opts.maxBins ?? MST_DEFAULTS.maxBins;
  const bins = Math.max(MST_DEFAULTS.minBins, Math.min(maxBins, Math.floor(pre.noisyRows / (MST_DEFAULTS.binSignal * sigma1))));
  const domains = specs.map((s) => columnDomain(s, bins));
  const codes = domains.map((dom) => encodeColumn(dom, pre.clipped.columns[pre.clipped.names.indexOf(dom.name)]!, table.source));
  const iterations = opts.iterations ?? MST_DEFAULTS.iterations;

  // ---- 2. one-way marginals (Gaussian), then compression of the rare codes
  const groups: Group[][] = [];
  const compressed: Int32Array[] = [];
  const oneWay: Measurement[] = [];
  const mrng = rng.fork('one-way');
  for (let a = 0; a < d; a++) {
    const dom = domains[a]!;
    const k = domainSize(dom);
    const given = pre.categoryMarginals.get(dom.name);
    let y: Float64Array;
    let std = sigma1;
    if (given && dom.kind === 'categorical') {
      // released with the categories (post-processing here), in the domain's order: categories, then missing
      y = Float64Array.from(givenCounts(given, dom.name, dom.nullable ? [...dom.categories, null] : dom.categories));
      std = given.std;
    } else {
      y = measure(codes[a]!, k, sigma1, mrng.fork(dom.name));
      ledger.add({ label: `mst:one-way:${dom.name}`, mechanism: 'gaussian', rho: gaussianRho(1, sigma1), params: { std: sigma1, sensitivity: 1, release: 'one-way marginal', cells: k } });
    }
    const rare: number[] = [];
    const g: Group[] = [];
    for (let i = 0; i < k; i++) {
      if (y[i]! >= MST_DEFAULTS.compressSigmas * std) g.push({ codes: [i], weights: [1] });
      else rare.push(i);
    }
    if (rare.length === 1) g.push({ codes: rare, weights: [1] });
    else if (rare.length > 1) {
      const w = rare.map((i) => Math.max(0, y[i]!));
      const s = w.reduce((p, q) => p + q, 0);
      g.push({ codes: rare, weights: s > 0 ? w.map((v) => v / s) : rare.map(() => 1 / rare.length) });
    }
    g.sort((p, q) => p.codes[0]! - q.codes[0]!);
    const map = new Int32Array(k);
    g.forEach((gr, j) => gr.codes.forEach((c) => (map[c] = j)));
    compressed.push(codes[a]!.map((c) => map[c]!));
    groups.push(g);
    const yc = new Float64Array(g.length);
    const wc = new Float64Array(g.length);
    g.forEach((gr, j) => {
      for (const c of gr.codes) yc[j]! += y[c]!;
      wc[j] = 1 / (gr.codes.length * std * std);
    });
    oneWay.push({ clique: { attr: a }, y: yc, w: wc });
  }
  const kc = groups.map((g) => g.length);
  // the total, from the one-way measurements (inverse-variance weighted sums): post-processing
  let num = 0;
  let den = 0;
  for (const m of oneWay) {
    let s = 0;
    let v = 0;
    for (let i = 0; i < m.y.length; i++) {
      s += m.y[i]!;
      v += 1 / m.w[i]!;
    }
    num += s / v;
    den += 1 / v;
  }
  const total = Math.max(1, num / den);

  // ---- 3. selection of a maximum spanning tree by the exponential mechanism
  const edges: [number, number][] = [];
  let epsilonPerRound = 0;
  if (d > 1) {
    const indep = estimateTreeModel(kc, [], oneWay, total, { iterations: Math.min(200, iterations) }).marginals;
    const pairs: [number, number][] = [];
    for (let a = 0; a < d; a++) for (let b = a + 1; b < d; b++) pairs.push([a, b]);
    const score = new Float64Array(pairs.length);
    pairs.forEach(([a, b], p) => {
      const kb = kc[b]!;
      const x = new Float64Array(kc[a]! * kb);
      const ca = compressed[a]!;
      const cb = compressed[b]!;
      for (let r = 0; r < ca.length; r++) x[ca[r]! * kb + cb[r]!]!++;
      let l1 = 0;
      for (let i = 0; i < kc[a]!; i++) for (let j = 0; j < kb; j++) l1 += Math.abs(x[i * kb + j]! - total * indep.nodes[a]![i]! * indep.nodes[b]![j]!);
      score[p] = l1;
    });
    const rounds = d - 1;
    epsilonPerRound = Math.sqrt((8 * rhoSel) / rounds);
    const parent = Array.from({ length: d }, (_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const srng = rng.fork('select');
    for (let t = 0; t < rounds; t++) {
      const cand: number[] = [];
      for (let p = 0; p < pairs.length; p++) if (find(pairs[p]![0]) !== find(pairs[p]![1])) cand.push(p);
      let max = -Infinity;
      for (const p of cand) max = Math.max(max, score[p]!);
      // exponential mechanism, sensitivity 1: P(pair) ∝ exp(epsilon / 2 · score)
      const w = cand.map((p) => Math.exp((epsilonPerRound / 2) * (score[p]! - max)));
      const pick = cand[srng.categorical(w)]!;
      ledger.add({ label: `mst:select:${t + 1}`, mechanism: 'zcdp', rho: (epsilonPerRound * epsilonPerRound) / 8, params: { release: 'exponential mechanism (one spanning-tree edge)', epsilon: epsilonPerRound, sensitivity: 1, candidates: cand.length, zcdp: 'epsilon^2/8 (bounded range)' } });
      const [a, b] = pairs[pick]!;
      edges.push([a, b]);
      parent[find(a)] = find(b);
    }
  }

  // ---- 4. the tree's two-way marginals (Gaussian)
  const twoWay: Measurement[] = [];
  const sigma2 = edges.length ? gaussianStdForRho(1, rho2 / edges.length) : 0;
  const trng = rng.fork('two-way');
  edges.forEach(([a, b], e) => {
    const kb = kc[b]!;
    const cells = kc[a]! * kb;
    const joint = new Int32Array(compressed[a]!.length);
    for (let r = 0; r < joint.length; r++) joint[r] = compressed[a]![r]! * kb + compressed[b]![r]!;
    const y = measure(joint, cells, sigma2, trng.fork(`${a}:${b}`));
    ledger.add({ label: `mst:two-way:${domains[a]!.name}|${domains[b]!.name}`, mechanism: 'gaussian', rho: gaussianRho(1, sigma2), params: { std: sigma2, sensitivity: 1, release: 'two-way marginal', cells } });
    twoWay.push({ clique: { edge: e }, y, w: new Float64Array(cells).fill(1 / (sigma2 * sigma2)) });
  });
  ledger.assertWithinBudget();

  // ---- 5. estimation (post-processing)
  const est = estimateTreeModel(kc, edges, [...oneWay, ...twoWay], total, { iterations });
  const state: MstState = {
    kind: MST_STATE_KIND,
    version: MST_STATE_VERSION,
    domains,
    groups,
    edges,
    marginals: { nodes: est.marginals.nodes.map((v) => Array.from(v)), edges: est.marginals.edges.map((v) => Array.from(v)) },
    estimatedRows: total,
    settings: { bins, iterations: est.iterations, sigmaOneWay: sigma1, sigmaTwoWay: sigma2, epsilonPerRound },
  };
  return new MstModel(state, specs);
}

export class MstModel {
  readonly state: MstState;
  /** The modelled columns' specs as stored (DP-released values only); null for a loaded model. */
  private readonly specs: ColumnSpec[] | null;
  private readonly marginals: TreeMarginals;

  constructor(state: MstState, specs: ColumnSpec[] | null) {
    this.state = state;
    this.specs = specs;
    this.marginals = { nodes: state.marginals.nodes.map((v) => Float64Array.from(v)), edges: state.marginals.edges.map((v) => Float64Array.from(v)) };
  }

  sample(n: number, seed: number): Table {
    const s = this.state;
    const rng = new Rng(seed).fork('mst:sample');
    const kc = s.groups.map((g) => g.length);
    const codes = sampleTree(kc, s.edges, this.marginals, n, rng.fork('tree'));
    const columns = s.domains.map((dom, a) => {
      const r = rng.fork(`column:${dom.name}`);
      const cums = s.groups[a]!.map((g) => cumulative(g.weights));
      const out: Cell[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const g = s.groups[a]![codes[a]![i]!]!;
        const c = g.codes.length === 1 ? g.codes[0]! : g.codes[drawCumulative(cums[codes[a]![i]!]!, r.uniform())]!;
        out[i] = decodeValue(dom, c, r);
      }
      return out;
    });
    return { names: s.domains.map((d) => d.name), columns, rowCount: n };
  }

  columns(): ColumnSpec[] {
    if (!this.specs) throw new Error('a loaded mst model has no column specs to give');
    return this.specs;
  }

  describe(): string[] {
    const s = this.state;
    const names = s.domains.map((d) => d.name);
    return [
      `mst: ${s.domains.length} columns, ${s.settings.bins} bins per numeric column (before compression), compressed domain sizes ${s.groups.map((g) => g.length).join(', ')}`,
      `tree: ${s.edges.map(([a, b]) => `${names[a]}-${names[b]}`).join(', ') || '(one column)'}`,
      `estimation: ${s.settings.iterations} mirror-descent iterations; noise std one-way ${s.settings.sigmaOneWay.toFixed(2)}, two-way ${s.settings.sigmaTwoWay.toFixed(2)}; estimated rows ${s.estimatedRows.toFixed(0)}`,
    ];
  }

  /** @throws ModelError for a state this version cannot read. */
  static fromState(state: unknown, dir: string): MstModel {
    const s = state as MstState;
    const bad = (why: string): ModelError => new ModelError(msg.modelStateInvalid('mst', dir, why), { location: { file: dir }, hint: msg.HINT_FIT_AGAIN });
    if (!s || s.kind !== MST_STATE_KIND) throw bad(`its state kind is ${JSON.stringify(s?.kind)}`);
    if (s.version !== MST_STATE_VERSION) throw new ModelVersionError(msg.modelStateVersion('mst', dir, JSON.stringify(s.version), MST_STATE_VERSION), { location: { file: dir }, hint: msg.HINT_FIT_AGAIN_THIS_VERSION });
    if (!Array.isArray(s.domains) || !Array.isArray(s.groups) || !Array.isArray(s.edges) || s.groups.length !== s.domains.length) throw bad('domains, groups and edges do not match');
    const d = s.domains.length;
    if (!s.marginals || !Array.isArray(s.marginals.nodes) || !Array.isArray(s.marginals.edges) || s.marginals.nodes.length !== d || s.marginals.edges.length !== s.edges.length) throw bad('its marginals do not match its columns and edges');
    for (let a = 0; a < d; a++) {
      const dom = s.domains[a]!;
      const okDomain = dom && typeof dom.name === 'string' && typeof dom.nullable === 'boolean' &&
        (dom.kind === 'categorical' ? Array.isArray(dom.categories) && dom.categories.every((c) => typeof c === 'string')
          : dom.kind === 'numeric' && (dom.layout === 'values' || dom.layout === 'bounds') && Array.isArray(dom.edges) && dom.edges.length >= 2 && dom.edges.every((e, i) => Number.isFinite(e) && (i === 0 || e >= dom.edges[i - 1]!)));
      if (!okDomain) throw bad(`column ${a}'s domain is malformed`);
      const k = domainSize(dom);
      const g = s.groups[a]!;
      if (!Array.isArray(g) || !g.length || g.some((x) => !Array.isArray(x.codes) || x.codes.some((c) => !Number.isInteger(c) || c < 0 || c >= k) || x.weights?.length !== x.codes.length)) throw bad(`column ${a}'s compressed codes are out of range`);
      if (s.marginals.nodes[a]!.length !== g.length) throw bad(`column ${a}'s marginal has the wrong size`);
    }
    s.edges.forEach(([a, b], e) => {
      if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && b >= 0 && a < d && b < d && a !== b)) throw bad(`edge ${e} is not between two columns`);
      if (s.marginals.edges[e]!.length !== s.groups[a]!.length * s.groups[b]!.length) throw bad(`edge ${e}'s marginal has the wrong size`);
    });
    try {
      return new MstModel(s, null);
    } catch (e) {
      throw bad((e as Error).message);
    }
  }
}

export const mstSynthesizer: TableSynthesizer = {
  name: 'mst',
  description: 'MST (McKenna et al. 2021): noisy one-way marginals, a maximum spanning tree of noisy two-way marginals chosen by the exponential mechanism, Private-PGM estimation; always DP; a good choice for small tables',
  dp: 'required',
  persistable: true,
  fit: (table, metadata, opts) => wrap(fitMst(table, metadata, opts)),
  load: (state, dir) => wrap(MstModel.fromState(state, dir)),
};

function wrap(m: MstModel): FittedTableSynthesizer {
  return { sample: (n, seed) => m.sample(n, seed), state: () => m.state as unknown as ReturnType<FittedTableSynthesizer['state']>, columns: () => m.columns(), describe: () => m.describe() };
}
