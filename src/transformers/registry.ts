/**
 * The explicit transformer registry: type name -> loader, and the default transformer per column type.
 *
 *   numeric, integer -> ClusterBasedNormalizer (integers round to whole numbers on reverse)
 *   datetime         -> DatetimeTransformer
 *   categorical      -> OneHotEncoder (missing is its own category)
 *   boolean          -> OneHotEncoder over the two spellings
 *   text, id         -> none (not modelled; text is filled by text/, ids are regenerated)
 * A nullable numeric/integer/datetime column is wrapped in a MissingIndicator.
 */
import type { ColumnSpec } from '../metadata/Metadata.js';
import { ModelError, ModelVersionError, SchemaError } from '../errors.js';
import type { TransformerState } from './Transformer.js';
import { TRANSFORMER_STATE_VERSION, type BaseTransformer } from './BaseTransformer.js';
import { ClusterBasedNormalizer, type ClusterBasedNormalizerOptions } from './ClusterBasedNormalizer.js';
import { DatetimeTransformer } from './DatetimeTransformer.js';
import { OneHotEncoder, type OneHotEncoderOptions } from './OneHotEncoder.js';
import { MissingIndicator } from './MissingIndicator.js';
import * as msg from '../messages.js';

type Loader = (state: TransformerState) => BaseTransformer;

const LOADERS: Readonly<Record<string, Loader>> = {
  ClusterBasedNormalizer: (s) => ClusterBasedNormalizer.fromJSON(s),
  DatetimeTransformer: (s) => DatetimeTransformer.fromJSON(s),
  OneHotEncoder: (s) => OneHotEncoder.fromJSON(s),
  MissingIndicator: (s) => MissingIndicator.fromJSON(s, transformerFromJSON),
};

/** Every registered transformer type name (the conformance suite covers each). */
export function registeredTransformerTypes(): string[] {
  return Object.keys(LOADERS);
}

export interface TransformerDefaults {
  numeric?: ClusterBasedNormalizerOptions;
  categorical?: OneHotEncoderOptions;
}

/**
 * The default (unfitted) transformer for a column, or null for columns that are not modelled
 * (text, id). Fit it with `fit(values, spec, rng)` or `fitFromSummary(...)`.
 */
export function transformerFor(spec: ColumnSpec, defaults: TransformerDefaults = {}): BaseTransformer | null {
  const withMissing = (t: ClusterBasedNormalizer): BaseTransformer => (spec.nullable ? new MissingIndicator(t) : t);
  switch (spec.type) {
    case 'numeric':
    case 'integer':
      return withMissing(new ClusterBasedNormalizer(spec.name, defaults.numeric));
    case 'datetime':
      return withMissing(new DatetimeTransformer(spec.name, defaults.numeric));
    case 'categorical':
    case 'boolean':
      return new OneHotEncoder(spec.name, defaults.categorical);
    case 'text':
    case 'id':
      return null;
    default: {
      const never: never = spec.type;
      throw new SchemaError(msg.unknownColumnType(spec.name, JSON.stringify(never)), { location: { column: spec.name } });
    }
  }
}

/**
 * Rebuild a fitted transformer from its JSON state.
 * @throws {ModelError} for an unknown type or a malformed state
 */
export function transformerFromJSON(state: unknown): BaseTransformer {
  if (!state || typeof state !== 'object' || Array.isArray(state)) {
    throw new ModelError(msg.transformerStateNotObject(JSON.stringify(state)?.slice(0, 60)), { hint: msg.HINT_MODEL_FILE_DAMAGED });
  }
  const s = state as TransformerState;
  if (typeof s.column !== 'string' || s.column === '') throw new ModelError(msg.transformerStateNoColumn(JSON.stringify(s.type)));
  const load = typeof s.type === 'string' && Object.hasOwn(LOADERS, s.type) ? LOADERS[s.type] : undefined;
  if (!load) {
    throw new ModelError(msg.unknownTransformerType(JSON.stringify(s.type), s.column, registeredTransformerTypes()), {
      location: { column: s.column },
      hint: msg.HINT_OTHER_VERSION_OR_EDITED,
    });
  }
  if (s.version !== TRANSFORMER_STATE_VERSION) {
    throw new ModelVersionError(msg.transformerStateVersion(s.column, JSON.stringify(s.version), TRANSFORMER_STATE_VERSION), {
      location: { column: s.column },
      hint: msg.HINT_REFIT_THIS_VERSION,
    });
  }
  return load(s);
}
