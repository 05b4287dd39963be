// SPDX-License-Identifier: Apache-2.0
// NAB's application profiles. The three standard ones are embedded (NAB v1.1 config/profiles.json) so the bench runs
// without the file; `parseNabProfiles` reads a profiles.json of the same shape.
import { InputError } from '../../errors/app-error.ts';
import type { CostMatrix, NabProfile } from './types.ts';

/** NAB v1.1's standard, reward_low_FP_rate and reward_low_FN_rate profiles. */
export const STANDARD_PROFILES: readonly NabProfile[] = Object.freeze([
  { name: 'standard', costMatrix: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 } },
  { name: 'reward_low_FP_rate', costMatrix: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22, tnWeight: 1 } },
  { name: 'reward_low_FN_rate', costMatrix: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 } },
]);

const WEIGHTS = ['tpWeight', 'fpWeight', 'fnWeight', 'tnWeight'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseCostMatrix(name: string, entry: unknown): CostMatrix {
  const matrix = isRecord(entry) ? entry['CostMatrix'] : undefined;
  if (!isRecord(matrix)) {
    throw new InputError('KRM_INPUT_INVALID', `profile "${name}": missing CostMatrix object`);
  }
  const out: Record<string, number> = {};
  for (const key of WEIGHTS) {
    const value = matrix[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InputError('KRM_INPUT_INVALID', `profile "${name}": CostMatrix.${key} must be a finite number`);
    }
    out[key] = value;
  }
  return { tpWeight: out['tpWeight'] ?? 1, fpWeight: out['fpWeight'] ?? 0, fnWeight: out['fnWeight'] ?? 1, tnWeight: out['tnWeight'] ?? 1 };
}

/** Parses NAB's profiles.json (`{ name: { CostMatrix: { tpWeight, fpWeight, fnWeight, tnWeight } } }`). */
export function parseNabProfiles(json: unknown): NabProfile[] {
  if (!isRecord(json) || Object.keys(json).length === 0) {
    throw new InputError('KRM_INPUT_INVALID', 'profiles: expected an object of named profiles');
  }
  return Object.entries(json).map(([name, entry]) => ({ name, costMatrix: parseCostMatrix(name, entry) }));
}
