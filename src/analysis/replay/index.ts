// SPDX-License-Identifier: Apache-2.0
// Replay evaluation of the rightsizing strategies on usage traces.
export { dropIsolatedZeros, recommendAt, replayTrace, segmentsOf, type ReplayOptions, type ReplayResult } from './evaluate.ts';
export { bestRequest, hindsightBound, scoredCpu, type HindsightBound, type ScoredCpu } from './oracle.ts';
export { scoreSegment, type Segment } from './score.ts';
export { addScore, emptyScore, toRow, type ReplayRow, type ReplayScore, type UsageTrace } from './types.ts';
