// SPDX-License-Identifier: Apache-2.0
// The usage model's public surface for the rest of the simulator (model, exporters, scenario loading).
export { UsageEngine } from './engine.ts';
export type {
  ContainerRestart,
  ContainerSpec,
  HistoryOptions,
  OomKillEvent,
  UsageEngineOptions,
} from './engine.ts';
export type { NodeSpec } from './node-table.ts';
export type { VolumeSpec } from './volume-table.ts';
export type { ResourceAmounts } from './resolve-profile.ts';
export { DEFAULT_USAGE_PROFILE, USAGE_PROFILE_KINDS, usageProfileSchema } from './profiles.ts';
export type { UsageProfile, UsageProfileKind } from './profiles.ts';
export { createRandom, hashSeed, SeededRandom, valueNoise } from './random.ts';
export type { ContainerUsage, NodeUsage, PodNetworkUsage, UsageView, VolumeUsage } from './types.ts';
