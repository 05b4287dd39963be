// SPDX-License-Identifier: Apache-2.0
// Scores a detector's output on a labelled corpus for each profile, either with the threshold swept per profile over
// the whole corpus (how NAB reports every published detector) or at one fixed threshold (how the product runs).
import { labelRows, type LabelledRows } from './label-rows.ts';
import { normaliseScore } from './normalise.ts';
import { scoreAtThreshold, sweepBestThreshold, type RawResult } from './sweep.ts';
import type { CostMatrix, NabProfile, ProfileScore, ScoredSeries } from './types.ts';

/** Labels every series once; the result serves every profile and threshold. */
export function labelCorpus(series: readonly ScoredSeries[]): LabelledRows[] {
  return series.map((s) => labelRows(s));
}

function normalised(files: readonly LabelledRows[], cost: CostMatrix, raw: RawResult): number {
  const scorable = files.reduce((sum, f) => sum + f.scorableWindows, 0);
  const labelled = files.reduce((sum, f) => sum + f.labelledWindows, 0);
  return normaliseScore({
    rawScore: raw.rawScore,
    nullScore: -cost.fnWeight * scorable,
    perfectScore: cost.tpWeight * labelled,
  });
}

function toProfileScore(profile: NabProfile, files: readonly LabelledRows[], raw: RawResult): ProfileScore {
  return {
    profile: profile.name,
    threshold: raw.threshold,
    rawScore: raw.rawScore,
    score: normalised(files, profile.costMatrix, raw),
    truePositives: raw.truePositives,
    falseNegatives: raw.falseNegatives,
    falsePositives: raw.falsePositives,
  };
}

/** Per profile, the best threshold over the whole corpus and its normalised score (NAB's optimizer + scorer). */
export function scoreCorpusSwept(files: readonly LabelledRows[], profiles: readonly NabProfile[]): ProfileScore[] {
  return profiles.map((p) => toProfileScore(p, files, sweepBestThreshold(files, p.costMatrix)));
}

/** Per profile, the normalised score at one fixed threshold. */
export function scoreCorpusAt(
  files: readonly LabelledRows[],
  profiles: readonly NabProfile[],
  threshold: number,
): ProfileScore[] {
  return profiles.map((p) => toProfileScore(p, files, scoreAtThreshold(files, p.costMatrix, threshold)));
}
