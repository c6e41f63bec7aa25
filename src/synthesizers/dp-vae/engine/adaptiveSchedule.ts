/**
 * The adaptive choice of OnnxVaeEngine between training on its worker threads and on the main thread alone
 * (OnnxEngineOptions.adaptive): steps are timed in windows of `period` steps; after each window the other way is
 * probed for `probe` steps; the faster way is kept, and while a choice holds the probes grow rarer (the period
 * doubles, up to 16 x). The first steps after a switch are not timed. Only speed depends on it: both ways give
 * the same bytes.
 */
export class AdaptiveSchedule {
  /** The end of every timed window, and once more for each switch back after a lost probe (the engine's threadSwitches). */
  switches = 0;
  private a = { inProbe: false, n: 0, sum: 0, poolMs: NaN, soloMs: NaN, period: 0 };

  constructor(private readonly settings: { period: number; probe: number }) {}

  /** A fresh start (the engine's beginTraining): nothing timed yet. */
  reset(): void {
    this.a = { inProbe: false, n: 0, sum: 0, poolMs: NaN, soloMs: NaN, period: this.settings.period };
  }

  /** Count a step of `ms` taken alone (`solo`) or with the workers; true when the next step should go the other way. */
  after(ms: number, solo: boolean): boolean {
    const a = this.a;
    const WARM = 2; // the first steps after a switch are not timed
    if (++a.n > WARM) a.sum += ms;
    if (a.n < (a.inProbe ? this.settings.probe : a.period) + WARM) return false;
    const mean = a.sum / (a.n - WARM);
    if (solo) a.soloMs = mean;
    else a.poolMs = mean;
    a.n = 0;
    a.sum = 0;
    this.switches++;
    if (!a.inProbe) {
      a.inProbe = true; // probe the other way
      return true;
    }
    a.inProbe = false;
    const wantSolo = a.soloMs < a.poolMs;
    if (wantSolo === solo) {
      a.period = this.settings.period; // the probe won: stay, probe again soon
      return false;
    }
    this.switches++;
    // the probe lost: back, and probe less often while the choice holds
    a.period = Math.min(a.period * 2, this.settings.period * 16);
    return true;
  }
}
