/**
 * The one entry the CLI and the benchmarks call.
 *
 *  table file ──► io/readTable ──► Table ──► metadata/ (infer | --schema, validate) ──► Metadata
 *                                   │
 *                                   ▼
 *        metadata/coerceTable (typed cells) ──► transformers/TableEncoder ──► encoded matrix
 *                                   │
 *                                   ▼
 *        synthesizers/dp-vae (engine, trainer, sampler)  ◄── privacy/ (ledger, accountant)
 *                                   │
 *                                   ▼
 *        model dir (manifest.json + weights.bin) ──► sample ──► decode ──► io/TableWriter
 */
import { createRequire } from 'node:module';
import { SchemaError } from './errors.js';
import { readTable } from './io/readTable.js';
import { TableWriter } from './io/TableWriter.js';
import { inferMetadataWithWarnings, type ColumnWarning } from './metadata/inferMetadata.js';
import { readMetadataFile } from './metadata/metadataFile.js';
import { coerceTable } from './metadata/coerceTable.js';
import { modelledColumns, type ColumnSpec, type Metadata } from './metadata/Metadata.js';
import { DpVaeSynthesizer } from './synthesizers/dp-vae/DpVaeSynthesizer.js';
import { DEFAULT_VAE_CONFIG, type VaeConfig } from './synthesizers/dp-vae/VaeConfig.js';
import type { TrainProgress } from './synthesizers/dp-vae/trainVae.js';
import { loadModel, saveModel, MODEL_KIND, MODEL_VERSION, type ModelManifest } from './synthesizers/modelFile.js';
import { TableEncoder } from './transformers/TableEncoder.js';
import { Rng } from './rng.js';
import type { Cell, Table } from './table/Table.js';

const require = createRequire(import.meta.url);
export const PRIVSYNTH_VERSION: string = (require('../package.json') as { version: string }).version;

export interface InspectResult {
  file: string;
  rows: number;
  metadata: Metadata;
  warnings: ColumnWarning[];
}

export async function inspectFile(file: string): Promise<InspectResult> {
  const table = await readTable(file);
  const { metadata, warnings } = inferMetadataWithWarnings(table);
  return { file, rows: table.rowCount, metadata, warnings };
}

/** Read a table and its schema (given or inferred), then type it. */
export async function loadTypedTable(file: string, schemaFile?: string): Promise<{ table: Table; metadata: Metadata; raw: Table }> {
  const raw = await readTable(file);
  const metadata = schemaFile ? await readMetadataFile(schemaFile) : inferMetadataWithWarnings(raw).metadata;
  const table = coerceTable(raw, metadata);
  return { table, metadata, raw };
}

/** A modelled column that is entirely missing or constant cannot be learned: say so. */
export function checkLearnable(table: Table, metadata: Metadata): void {
  const problems: SchemaError[] = [];
  for (const c of modelledColumns(metadata)) {
    const col = table.columns[table.names.indexOf(c.name)];
    if (!col) continue;
    let first: Cell | undefined;
    let varied = false;
    let present = 0;
    for (const v of col) {
      if (v === null) continue;
      present++;
      if (first === undefined) first = v;
      else if (v !== first) {
        varied = true;
        break;
      }
    }
    const hint = `set "action": "drop" for column "${c.name}" in the schema (privsynth inspect FILE -o schema.json writes one to edit), or remove the column`;
    if (present === 0) problems.push(new SchemaError('E_COLUMN', `column "${c.name}" is entirely empty`, { location: { file: table.source, column: c.name }, hint }));
    else if (!varied && present === table.rowCount) problems.push(new SchemaError('E_COLUMN', `column "${c.name}" holds the single value ${JSON.stringify(String(first))} in every row; there is nothing to learn`, { location: { file: table.source, column: c.name }, hint }));
  }
  if (problems.length) throw problems[0]!;
}

export interface FitOptions {
  schema?: string;
  out: string;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  force?: boolean;
  onProgress?: (p: TrainProgress) => void;
  onBackend?: (name: string) => void;
  signal?: AbortSignal;
}

export interface FitResult {
  modelDir: string;
  manifest: Omit<ModelManifest, 'weights'>;
}

export async function fitFile(file: string, opts: FitOptions): Promise<FitResult> {
  const { table, metadata } = await loadTypedTable(file, opts.schema);
  checkLearnable(table, metadata);
  const seed = opts.seed ?? 0;
  const config: VaeConfig = {
    ...DEFAULT_VAE_CONFIG,
    ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
  };
  const synth = await DpVaeSynthesizer.fit(table, metadata, { config, seed, onProgress: opts.onProgress, signal: opts.signal });
  opts.onBackend?.(synth.engine.backendName);
  const t = synth.training!;
  const manifest: Omit<ModelManifest, 'weights'> = {
    kind: MODEL_KIND,
    version: MODEL_VERSION,
    privsynthVersion: PRIVSYNTH_VERSION,
    synthesizer: 'dp-vae',
    createdAt: new Date().toISOString(),
    schema: metadata,
    encoder: synth.encoder.toJSON(),
    config,
    seed,
    training: { ...t, rows: table.rowCount },
    backend: synth.engine.backendName,
    privacy: {
      differentiallyPrivate: false,
      warning:
        'NOT differentially private: trained without DP-SGD, and the schema and transformers were fitted on the real data. Synthetic rows can reveal information about real people.',
    },
  };
  await saveModel(opts.out, manifest, synth.engine.exportWeights(), opts.force);
  synth.engine.dispose();
  return { modelDir: opts.out, manifest };
}

export async function loadSynthesizer(dir: string): Promise<{ synth: DpVaeSynthesizer; manifest: ModelManifest }> {
  const { manifest, weights } = await loadModel(dir);
  const encoder = TableEncoder.fromJSON(manifest.encoder);
  const synth = await DpVaeSynthesizer.create(manifest.schema, encoder, manifest.config, manifest.seed);
  synth.engine.importWeights(weights);
  return { synth, manifest };
}

/** Output columns: the input's order; dropped columns omitted; text columns omitted until an LLM fills them. */
export function outputColumns(md: Metadata): ColumnSpec[] {
  return md.columns.filter((c) => c.action === 'surrogate' || (c.action === 'keep' && c.type !== 'text' && c.type !== 'id'));
}

export interface SampleOptions {
  rows: number;
  out: string;
  seed?: number;
  force?: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function sampleToFile(modelDir: string, opts: SampleOptions): Promise<{ rows: number; seconds: number; file: string }> {
  const t0 = performance.now();
  const { synth, manifest } = await loadSynthesizer(modelDir);
  const cols = outputColumns(manifest.schema);
  const writer = await TableWriter.open(opts.out, cols, { force: opts.force });
  const seed = opts.seed ?? 0;
  const surrogateRng = new Rng(seed).fork('surrogate');
  let done = 0;
  try {
    for (const batch of synth.sampleBatches(opts.rows, seed, opts.batchSize)) {
      if (opts.signal?.aborted) throw new (await import('./errors.js')).CancelledError('sampling was interrupted; no output was written');
      await writer.write(withSurrogates(batch, cols, surrogateRng, done));
      done += batch.rowCount;
      opts.onProgress?.(done, opts.rows);
    }
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    synth.engine.dispose();
  }
  return { rows: done, seconds: (performance.now() - t0) / 1000, file: opts.out };
}

/** Fresh surrogate identifiers (random, never copied from the data). */
function withSurrogates(t: Table, cols: ColumnSpec[], rng: Rng, offset: number): Table {
  const sur = cols.filter((c) => c.action === 'surrogate');
  if (!sur.length) return t;
  const names = [...t.names];
  const columns = [...t.columns];
  for (const c of sur) {
    const col: Cell[] = new Array(t.rowCount);
    for (let i = 0; i < t.rowCount; i++) col[i] = `${c.name}-${(offset + i + 1).toString().padStart(8, '0')}-${rng.nextU32().toString(16).padStart(8, '0')}`;
    names.push(c.name);
    columns.push(col);
  }
  return { names, columns, rowCount: t.rowCount };
}

export async function modelInfo(dir: string): Promise<ModelManifest> {
  return (await loadModel(dir)).manifest;
}
