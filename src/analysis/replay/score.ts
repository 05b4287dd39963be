// SPDX-License-Identifier: Apache-2.0
// Scoring one recommendation on a stretch of a trace:
//  - CPU under-provisioning: scored CPU samples above the request (the share of time, on a regular grid);
//  - OOM kills: a memory sample above the limit is a kill; the episode (until usage is back under that limit) counts
//    once, and the container is assumed to restart with the OOM bump (max(L × 1.2, L + 100 MiB)) as its new limit,
//    as an OOM-aware recommender would set it; no limit, no kills;
//  - idle reserved capacity: max(0, request − used) integrated over time, one grid step per present sample, in
//    core-hours and GiB-hours (usage above the request is under-provisioning, not negative idle).
import { oomBump } from '../rightsizing/adjust.ts';
import type { Resources } from '../rightsizing/types.ts';
import { emptyScore, type ReplayScore, type UsageTrace } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

const GIB = 1_073_741_824;

export interface Segment {
  /** Index range `[from, to)` of the trace's samples. */
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
}

interface Scored {
  readonly trace: UsageTrace;
  readonly seg: Segment;
  readonly rec: Resources;
}

function scoreCpu({ trace, seg, rec }: Scored, into: ReplayScore): void {
  const request = rec.cpuRequest;
  if (request === undefined) return;
  const hours = seg.stepMs / HOUR_MS;
  for (let i = seg.from; i < seg.to; i++) {
    const used = trace.cpu[i] as number;
    if (!Number.isFinite(used)) continue;
    into.cpuSamples++;
    if (used > request) into.cpuOver++;
    else into.idleCpuCoreHours += ((request - used) / 1000) * hours;
  }
}

function scoreMemory({ trace, seg, rec }: Scored, into: ReplayScore): void {
  const hours = seg.stepMs / HOUR_MS;
  let limit = rec.memLimit;
  // While an episode lasts (usage above the limit that killed), it is not counted again.
  let episode: number | undefined;
  for (let i = seg.from; i < seg.to; i++) {
    const used = trace.memory[i] as number;
    if (!Number.isFinite(used)) continue;
    if (rec.memRequest !== undefined && used < rec.memRequest) into.idleMemoryGiBHours += ((rec.memRequest - used) / GIB) * hours;
    if (episode !== undefined && used <= episode) episode = undefined;
    if (episode === undefined && limit !== undefined && used > limit) {
      into.oomKills++;
      episode = limit;
      limit = oomBump(limit);
    }
  }
}

export function scoreSegment(trace: UsageTrace, seg: Segment, rec: Resources): ReplayScore {
  const s = emptyScore();
  scoreCpu({ trace, seg, rec }, s);
  scoreMemory({ trace, seg, rec }, s);
  return s;
}
