// SPDX-License-Identifier: Apache-2.0
// NAB's scaled sigmoid (nab/scorer.py `scaledSigmoid`): the weight of a detection from its position relative to a
// window. Position -1 is a window's left edge (weight 2σ(5)-1 ≈ 0.9866), 0 its right edge (weight 0); positive
// positions are false positives after a window, tending to -1 (and exactly -1 beyond 3 window widths).

/** 2 / (1 + e^(5y)) - 1, and -1 for y > 3. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}
