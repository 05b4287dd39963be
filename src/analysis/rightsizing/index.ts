// SPDX-License-Identifier: Apache-2.0
// Rightsizing of requests and limits (REQUIREMENTS §3.1): strategies `krm` (default), `krr-simple` and `vpa`.
export { recommend, severityOf, MIN_POINTS, MIN_SPAN_MS } from './recommend.ts';
export { oomBump, roundCpu, roundMemory } from './adjust.ts';
export { resourcesPatch } from './patch.ts';
export { STRATEGIES } from './types.ts';
export type * from './types.ts';
