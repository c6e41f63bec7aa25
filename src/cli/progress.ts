/** Progress lines on stderr: redrawn in place on a terminal, one line every few seconds otherwise. */
export class Progress {
  private last = 0;
  private readonly tty = Boolean(process.stderr.isTTY);
  constructor(private readonly quiet = false) {}

  update(text: string, force = false): void {
    if (this.quiet) return;
    const now = Date.now();
    if (!force && now - this.last < (this.tty ? 100 : 5000)) return;
    this.last = now;
    if (this.tty) process.stderr.write('\r\x1b[2K' + text);
    else process.stderr.write(text + '\n');
  }

  done(text?: string): void {
    if (this.quiet) return;
    if (this.tty) process.stderr.write('\r\x1b[2K');
    if (text) process.stderr.write(text + '\n');
  }
}

export function bar(frac: number, width = 24): string {
  const k = Math.max(0, Math.min(width, Math.round(frac * width)));
  return '[' + '#'.repeat(k) + '-'.repeat(width - k) + ']';
}

export function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
