/**
 * assertOutputAvailable: refuse to replace an existing output unless `force`. The one "output exists"
 * check: `sample`/`inspect`/`evaluate -o FILE` and TableWriter (a file), `fit -o DIR` and saveModel (the
 * model directory, through assertModelDirAvailable), `run -o DIR` (an output directory that may exist
 * if it is empty). Run it after checkOutputLocation, before any work.
 *
 * @returns whether the target exists (and, with `force`, will be replaced).
 * @throws OutputExistsError E_OUTPUT_EXISTS (exit code 2) naming the path and what to do.
 */
import { promises as fs } from 'node:fs';
import { OutputExistsError } from '../errors.js';
import * as msg from '../messages.js';

export interface OutputAvailableOptions {
  /** Replace an existing output (the CLI's --force). */
  force?: boolean;
  /** How the message names the target (default "the output"): "the model directory", ... */
  noun?: string;
  /** What the hint suggests instead (default "another output path"): "another -o directory", ... */
  alternative?: string;
  /**
   * The target is a directory that may exist if it is empty (run's -o); a file there is refused even
   * with `force`. Without it, anything at the target exists.
   */
  emptyDirectoryIsFree?: boolean;
}

export async function assertOutputAvailable(target: string, opts: OutputAvailableOptions = {}): Promise<boolean> {
  const noun = opts.noun ?? 'the output';
  const alternative = opts.alternative ?? 'another output path';
  const hint = msg.hintReplace(alternative);
  if (opts.emptyDirectoryIsFree) {
    let entries: string[];
    try {
      entries = await fs.readdir(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') {
        throw new OutputExistsError(msg.existsAsFile(target), { location: { file: target }, hint: msg.hintChoose(alternative) });
      }
      throw e;
    }
    if (entries.length && !opts.force) throw new OutputExistsError(msg.outputNotEmpty(noun, target), { location: { file: target }, hint });
    return true;
  }
  try {
    await fs.access(target);
  } catch {
    return false;
  }
  if (!opts.force) throw new OutputExistsError(msg.outputExists(noun, target), { location: { file: target }, hint });
  return true;
}
