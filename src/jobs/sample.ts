/**
 * `privsynth sample`: rows from a model directory to a file, streamed, in one writing loop.
 *
 *   checkOutputLocation ──► output free? ──► synthesizers/modelFile.loadModelDirectory (once: version, sha256)
 *   ──► the manifest's synthesizer (registry) ──► Synthesizer.sampler: a SampleStream of batches
 *   ──► text/LlmTextFiller loaded when an LLM fills text columns ──► io/TableWriter (atomic)
 *   per batch: CSV bytes ─────────────────────────────────────────────────► writer.writeCsvBytes
 *              a Table ──► surrogate identifiers ──► LLM text (leak-guarded) ──► writer.write
 *   ──► commit (renamed into place) │ abort on any error or Ctrl-C (nothing is left)
 */
import { CancelledError, InternalError } from '../errors.js';
import { checkOutputLocation } from '../io/checkOutputLocation.js';
import { assertOutputAvailable } from '../io/assertOutputAvailable.js';
import { TableWriter, columnsForOutput } from '../io/TableWriter.js';
import { writtenTable } from '../io/writtenTable.js';
import type { ColumnSpec } from '../metadata/Metadata.js';
import { outputColumns } from '../metadata/outputColumns.js';
import { PROJECT_ROOT } from '../packageInfo.js';
import type { ColumnCalibration } from '../synthesizers/dp-vae/sample/calibration.js';
import type { EnforceReport } from '../sampling/constraints.js';
import { surrogateColumn } from '../sampling/surrogateColumn.js';
import { concatTables } from '../sampling/tableOps.js';
import { loadModelDirectory } from '../synthesizers/modelFile.js';
import type { SampleMethod, SampleOptions } from '../synthesizers/options.js';
import { synthesizerOfManifest } from '../synthesizers/registry.js';
import type { Table } from '../table/Table.js';
import { LlmTextFiller, type TextFillReport } from '../text/LlmTextFiller.js';
import { resolveModelPath } from '../text/resolveModelPath.js';
import * as msg from '../messages.js';

export interface SampleResult {
  rows: number;
  seconds: number;
  file: string;
  /** How rows were drawn: plain, calibrated, conditional or rebalanced; constraint enforcement counts. */
  method: SampleMethod;
  /** Worker threads that sampled (plain and calibrated sampling; 1 = the calling thread). */
  workers?: number;
  /** Calibrated sampling: per column, the distance of the model's marginal to the stored one before and after (on the pilot). */
  calibration?: ColumnCalibration[];
  constraints?: EnforceReport;
  /** Per batch, what the LLM filler did (leak-guard counts, lengths, consistency); absent without --llm-model. */
  text?: TextFillReport[];
  /** With rebalancing: the achieved share of each group in the output. */
  groups?: { column: string; shares: Record<string, number> };
  /**
   * With `keepTable` (CSV output only): the rows written, as reading the file back gives them (io/writtenTable.ts):
   * cells as their fields' texts, '' as null, the formula escape still on; undoFormulaEscape and coerceTable type them.
   */
  table?: Table;
}

export async function sample(dir: string, opts: SampleOptions): Promise<SampleResult> {
  const t0 = performance.now();
  await checkOutputLocation(opts.out, { kind: 'file' }); // before loading the model and sampling (exit 2 in milliseconds)
  await assertOutputAvailable(opts.out, { force: opts.force });
  const { manifest, weights } = await loadModelDirectory(dir);
  const schema = manifest.schema;
  const fill = Boolean(opts.llm) && schema.columns.some((c) => c.action === 'keep' && c.type === 'text');
  const stream = await synthesizerOfManifest(manifest, dir).sampler({ dir, manifest, weights }, opts, { fill });
  const seed = opts.seed ?? 0;
  let filler: LlmTextFiller | undefined;
  let writer: TableWriter;
  const cols = outputColumns(schema, fill);
  try {
    if (fill) {
      const llm = opts.llm!;
      const modelPath = await resolveModelPath(llm.model, PROJECT_ROOT);
      filler = await LlmTextFiller.load({ modelPath, threads: llm.threads ?? 1, temperature: llm.temperature, seed, sequences: llm.sequences });
    }
    writer = await TableWriter.open(opts.out, cols, { force: opts.force, delimiter: schema.delimiter });
    if (opts.keepTable && writer.format !== 'csv') throw new InternalError(msg.keepTableNeedsCsv(opts.out));
  } catch (e) {
    stream.dispose();
    await filler?.dispose();
    throw e;
  }
  const kept: Table[] | null = opts.keepTable ? [] : null;
  const textReports: TextFillReport[] = [];
  const groupCounts = opts.rebalance ? new Map<string, number>() : null;
  let done = 0;
  let batchNo = 0;
  try {
    for await (const b of stream.batches({ columns: columnsForOutput(cols, writer.format), format: writer.format, delimiter: writer.delimiter, tables: Boolean(kept) })) {
      if (opts.signal?.aborted) throw new CancelledError(msg.SAMPLING_INTERRUPTED);
      if (b.bytes) {
        await writer.writeCsvBytes(b.bytes, b.rows);
        if (kept) kept.push(withSurrogates(b.table!, cols, seed, batchNo, done));
      } else {
        let out = withSurrogates(b.table!, cols, seed, batchNo, done);
        if (filler) {
          const r = await filler.fill(out, schema, {
            rowOffset: done,
            seed,
            signal: opts.signal,
            realValuesToGuard: opts.llm?.guard,
            onProgress: (p) => opts.onTextProgress?.(done + Math.round((p.done / Math.max(1, p.total)) * out.rowCount), opts.rows),
          });
          out = r.table;
          textReports.push(r.report);
        }
        if (groupCounts) {
          const col = out.columns[out.names.indexOf(opts.rebalance!.column)];
          for (const v of col ?? []) groupCounts.set(String(v), (groupCounts.get(String(v)) ?? 0) + 1);
        }
        await writer.write(out);
        kept?.push(out);
      }
      batchNo++;
      done += b.rows;
      opts.onProgress?.(done, opts.rows);
    }
    if (opts.signal?.aborted) throw new CancelledError(msg.SAMPLING_INTERRUPTED);
    await writer.commit();
  } catch (e) {
    await writer.abort();
    throw e;
  } finally {
    stream.dispose();
    await filler?.dispose();
  }
  return {
    rows: done,
    seconds: (performance.now() - t0) / 1000,
    file: opts.out,
    method: stream.method,
    ...stream.summary(),
    ...(filler ? { text: textReports } : {}),
    ...(groupCounts ? { groups: { column: opts.rebalance!.column, shares: Object.fromEntries([...groupCounts].map(([k, c]) => [k, c / Math.max(1, done)])) } } : {}),
    ...(kept ? { table: writtenTable(concatTables(kept), columnsForOutput(cols, 'csv'), opts.out) } : {}),
  };
}

/** Fresh surrogate identifiers (random, never copied from the data), appended to a batch's modelled columns. */
function withSurrogates(t: Table, cols: ColumnSpec[], seed: number, batch: number, offset: number): Table {
  const sur = cols.filter((c) => c.action === 'surrogate');
  if (!sur.length) return t;
  const names = [...t.names];
  const columns = [...t.columns];
  for (const c of sur) {
    names.push(c.name);
    columns.push(surrogateColumn(c.name, offset, t.rowCount, seed, batch));
  }
  return { names, columns, rowCount: t.rowCount };
}
