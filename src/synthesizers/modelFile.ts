/**
 * Model directories: `manifest.json` (versioned: schema, fitted transformer state, hyper-parameters,
 * training summary, backend, privacy ledger, sha256 of the weights) and `weights.bin` (float32
 * little-endian, parameters in manifest order). No training rows are stored anywhere.
 *
 * Saving writes a temporary directory and renames it into place, so an interrupted save leaves no
 * half-written model.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ModelError, PrivsynthError, ModelVersionError } from '../errors.js';
import { assertOutputAvailable } from '../io/assertOutputAvailable.js';
import { tempPathFor, registerTemp, unregisterTemp } from '../io/writeFileAtomic.js';
import type { Metadata } from '../metadata/Metadata.js';
import { validateMetadata } from '../metadata/validateMetadata.js';
import type { NamedWeight } from './dp-vae/engine/VaeEngine.js';
import type { VaeConfig } from './dp-vae/VaeConfig.js';
import type { TrainingSummary } from './dp-vae/fit/trainVae.js';
import * as msg from '../messages.js';

export const MODEL_KIND = 'privsynth.model';
export const MODEL_VERSION = 1;
export const MANIFEST = 'manifest.json';
export const WEIGHTS = 'weights.bin';

export interface ModelManifest {
  kind: typeof MODEL_KIND;
  version: number;
  privsynthVersion: string;
  synthesizer: 'dp-vae';
  createdAt: string;
  schema: Metadata;
  encoder: unknown;
  config: VaeConfig;
  seed: number;
  training: Omit<TrainingSummary, 'lossHistory'> & { lossHistory: number[]; rows?: number; /** dp.pairShare: pairs measured and the pair-fit loss, first and last step. */ pairsFitted?: { pairs: number; loss: [number, number] } };
  backend: string;
  /** The privacy section: a ledger (DP) or `{ differentiallyPrivate: false }`. */
  privacy: Record<string, unknown> & { differentiallyPrivate: boolean };
  /** One-way marginals for calibrating samples: Gaussian-noised and ledgered under DP, exact otherwise. */
  marginals?: unknown;
  /** The calibration to `marginals` fitted at fit time (its numbers are tensors "calibration/..." in the weights file). */
  calibration?: unknown;
  weights: { file: string; sha256: string; bytes: number; tensors: { name: string; shape: number[]; offset: number }[] };
}

/**
 * The manifest of a synthesizer other than dp-vae (registry.ts, tablePlugin.ts): the common fields, and the
 * synthesizer's own versioned JSON state under `model` (under DP: public or DP-released values only).
 */
export interface PluginManifest {
  kind: typeof MODEL_KIND;
  version: number;
  privsynthVersion: string;
  /** The registry name (never 'dp-vae'). */
  synthesizer: string;
  createdAt: string;
  schema: Metadata;
  seed: number;
  privacy: Record<string, unknown> & { differentiallyPrivate: boolean };
  model: { kind: string; version: number } & Record<string, unknown>;
  weights: ModelManifest['weights'];
}

export type AnyManifest = ModelManifest | PluginManifest;

/** The registry name of the synthesizer that wrote a manifest (older manifests: dp-vae). */
export function manifestSynthesizer(m: { synthesizer?: unknown }): string {
  return typeof m.synthesizer === 'string' ? m.synthesizer : 'dp-vae';
}

/** Refuse an existing model directory unless `force` (checked before training and again when saving). */
export async function assertModelDirAvailable(dir: string, force = false): Promise<boolean> {
  return assertOutputAvailable(dir, { force, noun: 'the model directory', alternative: 'another -o path' });
}

export async function saveModel(dir: string, manifest: Omit<AnyManifest, 'weights'>, weights: NamedWeight[], force = false): Promise<void> {
  const total = weights.reduce((s, w) => s + w.data.length, 0);
  const buf = new Float32Array(total);
  const tensors: ModelManifest['weights']['tensors'] = [];
  let off = 0;
  for (const w of weights) {
    buf.set(w.data, off);
    tensors.push({ name: w.name, shape: w.shape, offset: off });
    off += w.data.length;
  }
  const bytes = new Uint8Array(buf.buffer);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const full = { ...manifest, weights: { file: WEIGHTS, sha256, bytes: bytes.length, tensors } };
  const exists = await assertModelDirAvailable(dir, force);
  const tmp = tempPathFor(dir);
  registerTemp(tmp);
  try {
    await fs.mkdir(tmp, { recursive: true });
    await fs.writeFile(path.join(tmp, WEIGHTS), bytes);
    await fs.writeFile(path.join(tmp, MANIFEST), JSON.stringify(full, null, 2) + '\n');
    if (exists) await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
    unregisterTemp(tmp);
  }
}

export interface LoadedModel {
  manifest: ModelManifest;
  weights: NamedWeight[];
}

/**
 * A dp-vae model directory. @throws ModelError E_MODEL for a model another synthesizer wrote (load it
 * with loadModelDirectory and dispatch on its `synthesizer`, as registry.ts does).
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const { manifest, weights } = await loadModelDirectory(dir);
  const name = manifestSynthesizer(manifest);
  if (name !== 'dp-vae') {
    throw new ModelError(msg.notDpVaeModel(dir, name), { location: { file: dir }, hint: msg.HINT_SAMPLE_ANY });
  }
  return { manifest: manifest as ModelManifest, weights };
}

/** Any model directory: manifest and weights checked; the dp-vae network config only for dp-vae models. */
export async function loadModelDirectory(dir: string): Promise<{ manifest: AnyManifest; weights: NamedWeight[] }> {
  const where = { file: dir };
  let text: string;
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw new Error('not a directory');
    text = await fs.readFile(path.join(dir, MANIFEST), 'utf8');
  } catch {
    throw new ModelError(msg.notAModelDirectory(dir, MANIFEST), {
      location: where,
      hint: msg.HINT_PASS_MODEL_DIRECTORY,
    });
  }
  let m: AnyManifest;
  try {
    m = JSON.parse(text) as AnyManifest;
  } catch {
    throw new ModelError(msg.manifestDamaged(path.join(dir, MANIFEST)), { location: where, hint: msg.HINT_FIT_AGAIN });
  }
  if (typeof m !== 'object' || m === null || m.kind !== MODEL_KIND) {
    throw new ModelError(msg.notAModel(dir, JSON.stringify((m as { kind?: unknown })?.kind)), { location: where });
  }
  if (m.version !== MODEL_VERSION) {
    throw new ModelVersionError(msg.modelFormatVersion(dir, JSON.stringify(m.version), MODEL_VERSION), {
      location: where,
      hint: msg.HINT_FIT_AGAIN_THIS_VERSION,
    });
  }
  if (!m.weights || typeof m.weights !== 'object' || !Array.isArray(m.weights.tensors)) {
    throw new ModelError(msg.noWeightsSection(dir), { location: where, hint: msg.HINT_FIT_AGAIN });
  }
  if (m.weights.file !== WEIGHTS) {
    // Never follow a path from the manifest: the weights always live beside it under a fixed name.
    throw new ModelError(msg.weightsFileNamed(dir, JSON.stringify(m.weights.file), WEIGHTS), {
      location: where,
      hint: msg.HINT_MANIFEST_EDITED,
    });
  }
  let schema: Metadata;
  try {
    schema = validateMetadata(m.schema, path.join(dir, MANIFEST));
  } catch (e) {
    if (!(e instanceof PrivsynthError)) throw e;
    throw new ModelError(msg.storedSchemaInvalid(path.join(dir, MANIFEST), e.message), { location: where, hint: msg.HINT_FIT_AGAIN, cause: e });
  }
  const weightsFile = path.join(dir, WEIGHTS);
  let size: number;
  try {
    size = (await fs.stat(weightsFile)).size;
  } catch {
    throw new ModelError(msg.weightsMissing(weightsFile), { location: where, hint: msg.HINT_FIT_AGAIN });
  }
  const mismatch = (): ModelError =>
    new ModelError(msg.weightsMismatch(dir), {
      location: where,
      hint: msg.HINT_DO_NOT_EDIT_WEIGHTS,
    });
  // Compare the size before reading, so a huge substituted file is never read into memory.
  if (size !== m.weights.bytes || size % 4 !== 0) throw mismatch();
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(weightsFile);
  } catch {
    throw new ModelError(msg.weightsUnreadable(weightsFile), { location: where, hint: msg.HINT_FIT_AGAIN });
  }
  if (bytes.length !== m.weights.bytes || createHash('sha256').update(bytes).digest('hex') !== m.weights.sha256) throw mismatch();
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  // The manifest itself is not hashed: check that the tensor table tiles the weights file exactly
  // (as saveModel writes it) and that the architecture cannot ask for more memory than it stores.
  let next = 0;
  const weights: NamedWeight[] = m.weights.tensors.map((t: unknown, k: number) => {
    const tt = t as { name?: unknown; shape?: unknown; offset?: unknown } | null;
    const bad = (why: string): ModelError => new ModelError(msg.tensorInvalid(k, dir, why), { location: where, hint: msg.HINT_FIT_AGAIN });
    if (typeof tt !== 'object' || tt === null || typeof tt.name !== 'string') throw bad('it has no name');
    if (!Array.isArray(tt.shape) || tt.shape.length > 8 || !tt.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`${tt.name} has shape ${JSON.stringify(tt.shape)}`);
    const shape = tt.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    if (tt.offset !== next || size > all.length - next) throw new ModelError(msg.tensorOutside(tt.name), { location: where });
    next += size;
    return { name: tt.name, shape, data: all.subarray(next - size, next) };
  });
  if (next !== all.length) throw new ModelError(msg.weightCount(dir, next, all.length), { location: where, hint: msg.HINT_FIT_AGAIN });
  if (m.synthesizer !== undefined && typeof m.synthesizer !== 'string') throw new ModelError(msg.manifestField(dir, 'synthesizer', JSON.stringify((m as { synthesizer?: unknown }).synthesizer)), { location: where, hint: msg.HINT_FIT_AGAIN });
  if (manifestSynthesizer(m) === 'dp-vae') checkConfig((m as ModelManifest).config, m.seed, all.length, dir);
  else if (typeof m.seed !== 'number' || !Number.isFinite(m.seed)) throw new ModelError(msg.manifestField(dir, 'seed', JSON.stringify(m.seed)), { location: where, hint: msg.HINT_FIT_AGAIN });
  return { manifest: { ...m, schema } as AnyManifest, weights };
}

/**
 * The hyper-parameters sampling uses must be sane numbers, and no layer may be wider (or any weight
 * matrix larger) than the weights file that was checked above, so a tampered manifest cannot make
 * the engine allocate gigabytes.
 */
function checkConfig(config: unknown, seed: unknown, floats: number, dir: string): void {
  const bad = (why: string): ModelError =>
    new ModelError(msg.invalidConfig(dir, why), { location: { file: dir }, hint: msg.HINT_FIT_AGAIN });
  if (typeof config !== 'object' || config === null) throw bad('it is missing');
  const c = config as Partial<Record<keyof VaeConfig, unknown>>;
  if (!Array.isArray(c.compressDims) || !Array.isArray(c.decompressDims)) throw bad('"compressDims" and "decompressDims" must be lists');
  const dims = [...(c.compressDims as unknown[]), c.embeddingDim, ...(c.decompressDims as unknown[])];
  for (const d of dims) if (!Number.isSafeInteger(d) || (d as number) < 1 || (d as number) > floats) throw bad(`layer size ${JSON.stringify(d)} is not a whole number between 1 and ${floats}`);
  for (let i = 1; i < dims.length; i++) if ((dims[i - 1] as number) * (dims[i] as number) > floats) throw bad(`layers of ${String(dims[i - 1])} and ${String(dims[i])} units need more weights than the file holds`);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ModelError(msg.manifestField(dir, 'seed', JSON.stringify(seed)), { location: { file: dir }, hint: msg.HINT_FIT_AGAIN });
}
