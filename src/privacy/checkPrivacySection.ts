/**
 * checkPrivacySection: a model manifest's privacy section must be self-consistent before anything
 * reports it. A hand-edited `"differentiallyPrivate": true` on a model trained without DP has no
 * ledger behind it; printing it would be a false privacy claim, and reading its missing ledger used to
 * crash `info` with a TypeError.
 *
 * @throws ModelError E_MODEL (exit code 2) naming the manifest file and what is inconsistent.
 */
import { ModelError } from '../errors.js';
import * as msg from '../messages.js';

export function checkPrivacySection(privacy: unknown, manifestFile: string): void {
  const fail = (what: string): never => {
    throw new ModelError(msg.manifestInconsistent(what), {
      location: { file: manifestFile },
      hint: msg.HINT_MANIFEST_DAMAGED,
    });
  };
  if (typeof privacy !== 'object' || privacy === null) return fail(msg.NO_PRIVACY_SECTION);
  const p = privacy as Record<string, unknown>;
  if (typeof p.differentiallyPrivate !== 'boolean') return fail(msg.DP_FLAG_NOT_BOOLEAN);
  if (!p.differentiallyPrivate) return;
  const total = p.total as Record<string, unknown> | undefined;
  if (typeof total !== 'object' || total === null) return fail(msg.DP_WITHOUT_LEDGER);
  const eps = total.epsilon;
  const delta = total.delta;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) return fail(msg.totalEpsilonInvalid(JSON.stringify(eps)));
  if (typeof delta !== 'number' || !(delta >= 0 && delta < 1)) return fail(msg.totalDeltaInvalid(JSON.stringify(delta)));
  if (!Array.isArray(total.entries)) return fail(msg.LEDGER_ENTRIES_MISSING);
  for (const [i, e] of (total.entries as unknown[]).entries()) {
    const r = e as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null || typeof r.label !== 'string' || typeof r.mechanism !== 'string') return fail(msg.ledgerEntryUnlabelled(i + 1));
  }
}
