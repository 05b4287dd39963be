// SPDX-License-Identifier: Apache-2.0
// Generated container logs for `kubectl logs` against the simulated cluster.
export { renderLogs, followLogs } from './render-logs.ts';
export { flavorOf } from './env.ts';
export { LOG_PROFILES } from './types.ts';
export type { LogProfile, LogRequest, Flavor } from './types.ts';
