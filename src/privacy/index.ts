/** The privacy area's public surface (re-exports only). See each file for definitions and sources. */
export { DEFAULT_ORDERS } from './analysis/DEFAULT_ORDERS.js';
export { calibrateNoise, rhoForEpsilon, CALIBRATION_TOLERANCE, type CalibrationTarget, type CalibrationResult } from './analysis/calibrateNoise.js';
export { logErfc, erfc } from './analysis/logErfc.js';
export { normalUpperQuantile, logUpperTail } from './analysis/normalUpperQuantile.js';
export { rdpSampledGaussian, rdpSampledGaussianCurve, type SampledGaussianParams } from './analysis/rdpSampledGaussian.js';
export { rdpToEpsilon, rdpToEpsilonClassic, conversionTerm, maxRdpForEpsilon, type EpsilonAtOrder } from './analysis/rdpToEpsilon.js';
export { gaussianRho, gaussianStdForRho, zcdpRdp, pureDpToRho } from './analysis/zcdp.js';
export { RdpAccountant, type AccountantEntry, type AccountantEpsilon, type DeltaExtra, type RdpAccountantJson } from './RdpAccountant.js';
export { PrivacyLedger, LEDGER_FORMAT, LEDGER_VERSION, type PrivacyTarget, type LedgerTotal, type AttributedSpend, type PrivacyLedgerJson } from './PrivacyLedger.js';
export { spendRdp, validateSpend, type PrivacySpend, type ZcdpSpend, type DpSgdSpend, type ZcdpMechanism } from './PrivacySpend.js';
export { planBudget, type BudgetPlan, type BudgetPlanInput } from './planBudget.js';
export { noisyCount, type NoisyCount, type NoisyCountOptions } from './mechanisms/noisyCount.js';
export { noisyHistogram, type NoisyHistogram, type NoisyHistogramOptions } from './mechanisms/noisyHistogram.js';
export { privateBounds, octaveGridEdges, GRID_LIMIT, type PrivateBounds, type PrivateBoundsOptions } from './mechanisms/privateBounds.js';
export {
  noisyCategoryCounts,
  noisyPublicCategoryCounts,
  type CategoryCount,
  type NoisyCategoryCounts,
  type NoisyCategoryCountsOptions,
  type NoisyPublicCategoryCounts,
} from './mechanisms/noisyCategoryCounts.js';
export { budgetStrength, checkBudgetStrength, formatBudgetNumber, WEAK_EPSILON, type BudgetStrength } from './budgetStrength.js';
export { validateDp } from './validateDp.js';
