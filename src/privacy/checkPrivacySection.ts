/**
 * checkPrivacySection: a model manifest's privacy section must be self-consistent before anything
 * reports it. A hand-edited `"differentiallyPrivate": true` on a model trained without DP has no
 * ledger behind it; printing it would be a false privacy claim, and reading its missing ledger used to
 * crash `info` with a TypeError.
 *
 * @throws ModelError E_MODEL (exit code 2) naming the manifest file and what is inconsistent.
 */
import { ModelError } from '../errors.js';

export function checkPrivacySection(privacy: unknown, manifestFile: string): void {
  const fail = (what: string): never => {
    throw new ModelError(`the model manifest is inconsistent: ${what}`, {
      location: { file: manifestFile },
      hint: 'the manifest was edited or damaged; refit the model (privsynth fit) instead of editing manifest.json',
    });
  };
  if (typeof privacy !== 'object' || privacy === null) return fail('it has no "privacy" section');
  const p = privacy as Record<string, unknown>;
  if (typeof p.differentiallyPrivate !== 'boolean') return fail('"privacy.differentiallyPrivate" is not true or false');
  if (!p.differentiallyPrivate) return;
  const total = p.total as Record<string, unknown> | undefined;
  if (typeof total !== 'object' || total === null) return fail('"privacy.differentiallyPrivate" is true but there is no privacy ledger ("privacy.total"): nothing backs the DP claim');
  const eps = total.epsilon;
  const delta = total.delta;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) return fail(`"privacy.total.epsilon" is ${JSON.stringify(eps)}, not a positive finite number`);
  if (typeof delta !== 'number' || !(delta >= 0 && delta < 1)) return fail(`"privacy.total.delta" is ${JSON.stringify(delta)}, not a number in [0, 1)`);
  if (!Array.isArray(total.entries)) return fail('"privacy.total.entries" (the ledger of releases) is missing');
  for (const [i, e] of (total.entries as unknown[]).entries()) {
    const r = e as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null || typeof r.label !== 'string' || typeof r.mechanism !== 'string') return fail(`ledger entry ${i + 1} has no label or mechanism`);
  }
}
