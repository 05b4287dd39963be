// SPDX-License-Identifier: Apache-2.0
// NAB v1.1 scoring, implemented in the project: labelling, threshold sweep, normalisation and profiles.
export { splitHalves } from './halves.ts';
export { labelRows, probationLength, OUTSIDE, PROBATION, type LabelledRows } from './label-rows.ts';
export { parseNabTimestamp } from './nab-timestamp.ts';
export { normaliseScore } from './normalise.ts';
export { parseNabProfiles, STANDARD_PROFILES } from './profiles.ts';
export { scaledSigmoid } from './scaled-sigmoid.ts';
export { labelCorpus, scoreCorpusAt, scoreCorpusSwept } from './score-corpus.ts';
export { NO_DETECTION_THRESHOLD, scoreAtThreshold, sweepBestThreshold, type RawResult } from './sweep.ts';
export type { CostMatrix, NabProfile, NabWindow, ProfileScore, ScoredSeries } from './types.ts';
export { parseNabWindows } from './windows.ts';
