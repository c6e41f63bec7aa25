/**
 * The sampling room's public surface (re-exports only): conditions, rebalancing, constraints, DP marginals and
 * raking. The public `sampling` namespace (publicSampling.ts) adds dp-vae's guided sampling to it.
 */
export { resolveConditions, oneHotLayout, slotLabels, type Condition, type ConditionValue, type ResolvedConditions } from './conditions.js';
export { systematicResample } from './systematicResample.js';
export type { ConditionalSource, ConditionalSampleOptions, ConditionalSampleStats } from './conditionalSampling.js';
export { sampleRebalanced, sampleRebalancedBatches, rebalanceShares, exactCounts, type RebalanceSpec, type RebalanceOptions, type RebalanceStats } from './rebalance.js';
export { groupReport, type GroupReport, type GroupReportOptions, type GroupRow } from './groupReport.js';
export {
  constraintLabel,
  constraintProblems,
  enforceConstraints,
  sampleConstrained,
  sampleConstrainedBatches,
  checkTrainingData,
  measureFixedCombinations,
  CONSTRAINT_KINDS,
  type Constraint,
  type InequalityOp,
  type EnforceReport,
  type ConstraintOutcome,
  type ConstrainedSampleOptions,
  type TrainingDataPolicy,
  type TrainingDataCheck,
} from './constraints.js';
export { marginalBins, measureMarginals, calibrate, MARGINALS_KIND, MARGINALS_VERSION, type MarginalBins, type NoisyMarginal, type MarginalRelease, type MarginalBinOptions, type CalibrateOptions, type CalibrationReport } from './marginals.js';
export { concatTables } from './tableOps.js';
