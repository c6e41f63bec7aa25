/**
 * checkOutputLocation: can an output file or directory be created at `target`? Run before any work
 * (reading, training, sampling), so that a bad `-o` fails in milliseconds with exit code 2 and a clear
 * message, instead of after minutes of training with a raw EACCES/ENOTDIR.
 *
 * It checks, in this order:
 * - the parent directory exists (missing: say which directory and suggest `mkdir -p`);
 * - no ancestor of the target is a file (`-o file.csv/x.csv`: ENOTDIR);
 * - the target itself is not of the wrong kind (a directory where a file is written, or a file where
 *   a directory is written);
 * - a file can actually be created in the parent: a probe file is created exclusively and removed at
 *   once. This catches permissions (EACCES/EPERM), read-only filesystems (EROFS) and virtual
 *   filesystems such as /proc that refuse new entries (ENOENT although the parent exists). Checking
 *   `access(W_OK)` alone is not enough: it says yes to root, and /proc answers it inconsistently.
 *
 * Why this matters beyond the message: Node's `fs.mkdir(p, { recursive: true })` loops forever (100%
 * CPU, deaf to SIGTERM because the event loop never turns) when mkdir(p) fails with ENOENT while the
 * parent exists, which is what /proc does. Callers must check first and create output directories
 * without `recursive` (see `makeOutputDir`).
 *
 * Existence of the target itself (replace only with --force) is checked next by assertOutputAvailable
 * (src/io/assertOutputAvailable.ts), the one "output exists" check.
 *
 * @throws OutputError E_OUTPUT (exit code 2) naming the path and what to do.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PrivsynthError, OutputError } from '../errors.js';
import * as msg from '../messages.js';

export interface OutputLocationOptions {
  /** What will be written at `target`. */
  kind: 'file' | 'directory';
  /** The option the user passed it with, for messages (default "-o"). */
  flag?: string;
}

function outputError(message: string, target: string, hint: string): PrivsynthError {
  return new OutputError(message, { location: { file: target }, hint });
}

async function statOrNull(p: string): Promise<import('node:fs').Stats | null | 'ENOTDIR'> {
  try {
    return await fs.stat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') return 'ENOTDIR';
    throw e;
  }
}

export async function checkOutputLocation(target: string, opts: OutputLocationOptions): Promise<void> {
  const flag = opts.flag ?? '-o';
  const abs = path.resolve(target);
  const parent = path.dirname(abs);
  // the nearest existing ancestor: a file there means ENOTDIR, a missing parent means mkdir -p
  let dir = parent;
  for (;;) {
    const st = await statOrNull(dir);
    if (st !== null && st !== 'ENOTDIR') {
      if (!st.isDirectory()) {
        throw outputError(msg.cannotWrite(flag, target, msg.ancestorIsFile(dir)), target, msg.hintDirectoriesOnly(path.join(path.dirname(dir), path.basename(abs))));
      }
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (dir !== parent) {
    throw outputError(msg.cannotWrite(flag, target, msg.parentMissing(parent)), target, msg.hintMkdir(parent, flag));
  }
  const self = await statOrNull(abs);
  if (self && self !== 'ENOTDIR') {
    if (opts.kind === 'file' && self.isDirectory()) throw outputError(msg.cannotWrite(flag, target, msg.FILE_TARGET_IS_DIRECTORY), target, msg.hintGiveFileName(path.join(target, 'synthetic.csv')));
    if (opts.kind === 'directory' && !self.isDirectory()) throw outputError(msg.cannotWrite(flag, target, msg.DIRECTORY_TARGET_IS_FILE), target, msg.hintAnotherDirectory(flag));
  }
  const probe = path.join(parent, `.privsynth-probe.${process.pid}.${randomBytes(4).toString('hex')}`);
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await fs.open(probe, 'wx');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown';
    const why =
      code === 'EACCES' || code === 'EPERM'
        ? msg.noPermission(parent)
        : code === 'EROFS'
          ? msg.readOnly(parent)
          : code === 'ENOENT' || code === 'ENOSYS' || code === 'EINVAL'
            ? msg.noNewFiles(parent)
            : msg.cannotCreateFiles(parent, code);
    throw outputError(msg.cannotWrite(flag, target, why), target, msg.HINT_WRITABLE_LOCATION);
  }
  await handle.close();
  await fs.rm(probe, { force: true });
}

/**
 * Create one output directory whose parent was checked by checkOutputLocation. Not recursive on
 * purpose: see the note above on Node's recursive mkdir looping forever on /proc.
 */
export async function makeOutputDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw outputError(msg.cannotCreateDirectory(dir, (e as NodeJS.ErrnoException).code ?? String(e)), dir, msg.HINT_WRITABLE);
  }
}
