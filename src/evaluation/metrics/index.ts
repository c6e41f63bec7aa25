/** Registry of the evaluation metrics' descriptors (one metric a file in this folder). */
import type { MetricDescriptor } from '../types.js';
import { descriptor as ksComplement } from './ksComplement.js';
import { descriptor as tvComplement } from './tvComplement.js';
import { descriptor as correlationSimilarity } from './correlationSimilarity.js';
import { descriptor as contingencySimilarity } from './contingencySimilarity.js';
import { descriptor as detection } from './detection.js';
import { descriptor as mlUtility } from './mlUtility.js';
import { descriptor as dcrShare } from './dcrShare.js';
import { descriptor as nndr } from './nndr.js';
import { descriptor as exactCopyRate } from './exactCopyRate.js';
import { descriptor as membershipInference } from './membershipInference.js';
import { descriptor as attributeInference } from './attributeInference.js';
import { descriptor as singlingOut } from './singlingOut.js';

export const METRICS: readonly MetricDescriptor[] = [
  ksComplement,
  tvComplement,
  correlationSimilarity,
  contingencySimilarity,
  detection,
  mlUtility,
  dcrShare,
  nndr,
  exactCopyRate,
  membershipInference,
  attributeInference,
  singlingOut,
];

export function metricDescriptor(name: string): MetricDescriptor | undefined {
  return METRICS.find((m) => m.name === name);
}
