/** The adaptive choice between the worker threads and the main thread alone (engine/adaptiveSchedule.ts). */
import { describe, expect, it } from 'vitest';
import { AdaptiveSchedule } from '../../../../src/synthesizers/dp-vae/engine/adaptiveSchedule.js';

/** Run steps that take `poolMs` with the workers and `soloMs` alone; the mode of each step. */
function run(s: AdaptiveSchedule, steps: number, poolMs: number, soloMs: number): boolean[] {
  const modes: boolean[] = [];
  let solo = false;
  for (let i = 0; i < steps; i++) {
    modes.push(solo);
    if (s.after(solo ? soloMs : poolMs, solo)) solo = !solo;
  }
  return modes;
}

describe('AdaptiveSchedule', () => {
  it('probes the other way after a window (2 untimed steps + period) and keeps the faster way', () => {
    const s = new AdaptiveSchedule({ period: 3, probe: 2 });
    s.reset();
    const modes = run(s, 9, 10, 20); // the workers are faster: probe alone, come back
    expect(modes).toEqual([false, false, false, false, false, true, true, true, true]);
    expect(run(s, 1, 10, 20)).toEqual([false]);
    expect(s.switches).toBe(3); // the end of the first window, the end of the probe, the switch back
  });

  it('stays alone when that is faster, probing less often while the choice holds', () => {
    const s = new AdaptiveSchedule({ period: 2, probe: 1 });
    s.reset();
    const modes = run(s, 40, 30, 10).map((solo) => (solo ? 'S' : 'P')).join('');
    // 4 steps with the workers, a probe alone that wins (3 steps), its window (4), then each probe of the workers
    // (3 steps) loses, and the windows alone grow: 4 + 2, 8 + 2, 16 + 2 steps
    expect(modes).toBe('PPPPSSSSSSSPPPSSSSSSPPPSSSSSSSSSSPPPSSSS');
    expect(s.switches).toBe(11);
  });
});
