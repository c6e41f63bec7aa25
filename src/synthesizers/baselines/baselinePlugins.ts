/**
 * The baselines as registry entries (TableSynthesizer, see ../tablePlugin.ts):
 *   - independent-marginals: every column from its own (noisy, under DP) one-way marginal; storable, DP or not.
 *   - gaussian-copula: NOT DP, and its state is every real value of every column (the empirical marginals),
 *     so it is a benchmark baseline only: the registry lists it, `fit` refuses to save it.
 */
import { ModelError } from '../../errors.js';
import { modelledColumns, type ColumnSpec } from '../../metadata/Metadata.js';
import { sanitize } from '../fitPrivateEncoder.js';
import type { FittedTableSynthesizer, TableSynthesizer } from '../Synthesizer.js';
import { GaussianCopula } from './GaussianCopula.js';
import { IndependentMarginals } from './IndependentMarginals.js';
import * as msg from '../../messages.js';

function wrapIndependent(m: IndependentMarginals, specs: ColumnSpec[] | null): FittedTableSynthesizer {
  return {
    sample: (n, seed) => m.sample(n, seed),
    state: () => m.toJSON() as unknown as ReturnType<FittedTableSynthesizer['state']>,
    columns: () => {
      if (!specs) throw new Error('a loaded model has no column specs to give');
      if (!m.differentiallyPrivate) return specs;
      // under DP: structure plus the released values (categories, bounds, nullability from the noisy missing count)
      const byName = new Map(m.columnSummaries().map((c) => [c.name, c]));
      return specs.map((c) => {
        const r = byName.get(c.name)!;
        const numeric = c.type === 'numeric' || c.type === 'integer';
        return sanitize(c, { nullable: r.nullable, ...(r.categories ? { categories: r.categories } : {}), ...(numeric && r.min !== undefined ? { min: r.min, max: r.max } : {}) });
      });
    },
    describe: () => {
      const s = m.toJSON();
      return [`independent marginals: ${s.marginals.length} columns, each drawn from its own ${s.differentiallyPrivate ? 'noisy ' : ''}one-way marginal (no dependence between columns)`];
    },
  };
}

export const independentMarginalsTableSynthesizer: TableSynthesizer = {
  name: 'independent-marginals',
  description: 'each column drawn independently from its own (Gaussian-noised under DP) one-way marginal; a baseline that keeps no dependence',
  dp: 'optional',
  persistable: true,
  fit: (table, metadata, opts) => wrapIndependent(IndependentMarginals.fit(table, metadata, { dp: opts.dp ? { epsilon: opts.dp.epsilon, delta: opts.dp.delta } : undefined, seed: opts.seed, ledger: opts.ledger }), modelledColumns(metadata)),
  load: (state, dir) => {
    try {
      return wrapIndependent(IndependentMarginals.fromJSON(state), null);
    } catch (e) {
      throw new ModelError(msg.modelStateInvalid('independent-marginals', dir, (e as Error).message), { location: { file: dir }, hint: msg.HINT_FIT_AGAIN });
    }
  },
};

export const gaussianCopulaTableSynthesizer: TableSynthesizer = {
  name: 'gaussian-copula',
  description: 'a Gaussian copula over the empirical marginals; NOT differentially private and not storable (benchmarks only)',
  dp: 'none',
  persistable: false,
  fit: (table, metadata, opts) => {
    const g = GaussianCopula.fit(table, metadata, { seed: opts.seed });
    return {
      sample: (n, seed) => g.sample(n, seed),
      state: () => {
        throw new Error('gaussian-copula is not storable');
      },
      columns: () => modelledColumns(metadata),
      describe: () => ['gaussian copula over the empirical marginals (NOT DP)'],
    };
  },
  load: (_state, dir) => {
    throw new ModelError(msg.cannotLoadUnstorable(dir, 'gaussian-copula'), { location: { file: dir } });
  },
};
