// SPDX-License-Identifier: Apache-2.0
// Shapes shared by the NAB v1.1 scorer. Timestamps are epoch milliseconds (UTC), as parsed by nab-timestamp.ts.

/** One application profile's cost matrix (NAB config/profiles.json). tnWeight is carried but, as in NAB, unused. */
export interface CostMatrix {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
  readonly tnWeight: number;
}

/** A named application profile: `standard`, `reward_low_FP_rate`, `reward_low_FN_rate` or a custom one. */
export interface NabProfile {
  readonly name: string;
  readonly costMatrix: CostMatrix;
}

/** An anomaly window `[startMs, endMs]`, both ends inclusive, as in NAB's combined_windows.json. */
export type NabWindow = readonly [number, number];

/** One scored file: its row timestamps (sorted ascending), the detector's score per row and its windows. */
export interface ScoredSeries {
  readonly name: string;
  readonly timestampsMs: ArrayLike<number>;
  readonly scores: ArrayLike<number>;
  readonly windows: readonly NabWindow[];
}

/** A profile's corpus result at one threshold. `score` is normalised: null detector 0, perfect detector 100. */
export interface ProfileScore {
  readonly profile: string;
  readonly threshold: number;
  readonly rawScore: number;
  readonly score: number;
  /** Windows with at least one detection (counted once each). */
  readonly truePositives: number;
  /** Windows without a detection (windows entirely inside the probation period are not counted). */
  readonly falseNegatives: number;
  /** Detections outside every window, after the probation period. */
  readonly falsePositives: number;
}
