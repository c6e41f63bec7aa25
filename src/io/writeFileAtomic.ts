/**
 * Atomic file output: write to a temporary file beside the target, then rename. An interrupted or
 * failed write leaves the target as it was (absent or the old file), never half-written.
 */
import { promises as fs, createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(target);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** Temp files of in-flight atomic writes, removed on SIGINT/exit so nothing half-written remains. */
const inFlight = new Set<string>();
export function registerTemp(p: string): void {
  inFlight.add(p);
}
export function unregisterTemp(p: string): void {
  inFlight.delete(p);
}
export async function cleanupTemps(): Promise<void> {
  await Promise.all([...inFlight].map((p) => fs.rm(p, { force: true, recursive: true })));
  inFlight.clear();
}

/**
 * A streamed atomic writer: chunks go to a temp file; `commit()` renames it into place, `abort()`
 * deletes it. Applies back-pressure.
 */
export class AtomicStream {
  readonly target: string;
  readonly tmp: string;
  private stream: WriteStream;
  private failed: Error | null = null;

  constructor(target: string) {
    this.target = target;
    this.tmp = tempPathFor(target);
    registerTemp(this.tmp);
    this.stream = createWriteStream(this.tmp);
    this.stream.on('error', (e) => (this.failed = e));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => { this.stream.off('error', onErr); resolve(); };
        const onErr = (e: Error): void => { this.stream.off('drain', onDrain); reject(e); };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onErr);
      });
    }
  }

  private async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }

  async commit(): Promise<void> {
    await this.close();
    if (this.failed) throw this.failed;
    await fs.rename(this.tmp, this.target);
    unregisterTemp(this.tmp);
  }

  async abort(): Promise<void> {
    try {
      this.stream.destroy();
    } finally {
      await fs.rm(this.tmp, { force: true });
      unregisterTemp(this.tmp);
    }
  }
}
