// SPDX-License-Identifier: Apache-2.0
// NAB's normalisation (nab/runner.py `normalize`): 100 × (raw − null) / (perfect − null). The null detector never
// detects, so its raw score is −fnWeight per scorable window; the perfect detector is credited tpWeight for every
// labelled window. A real detector that fires on the first row of every window reaches 2σ(5) − 1 ≈ 98.7% of that.

export interface NormaliseInput {
  readonly rawScore: number;
  readonly nullScore: number;
  readonly perfectScore: number;
}

/** Normalised NAB score: 0 for the null detector, 100 for the perfect one. */
export function normaliseScore({ rawScore, nullScore, perfectScore }: NormaliseInput): number {
  const span = perfectScore - nullScore;
  if (span === 0) return 0;
  return (100 * (rawScore - nullScore)) / span;
}
