// SPDX-License-Identifier: Apache-2.0
// Usage profiles as data: what a scenario YAML says about how a container uses CPU and memory over time. The schema
// only validates; defaults depend on each container's requests and limits and are filled in by resolve-profile.ts,
// so one profile can be shared by workloads of very different sizes. Objects are strict so that a typo in a
// scenario file is an error rather than a silently ignored key.
import { z } from 'zod';

const ratio = z.number().min(0).max(1);

/** CPU level: absolute `cores`, or `requestRatio` × the CPU request. */
const cpuLevelSchema = z
  .strictObject({
    cores: z.number().nonnegative().optional().describe('Mean CPU usage in cores. Wins over requestRatio.'),
    requestRatio: z.number().nonnegative().optional().describe('Mean CPU usage as a fraction of the CPU request.'),
    noise: z
      .number()
      .min(0)
      .max(2)
      .optional()
      .describe('Variability of CPU around its level, about the coefficient of variation (default 0.35).'),
  })
  .describe('CPU level. Default level is a kind-specific fraction of the request (steady: 0.4).');

/** Memory level: absolute `bytes`, or `requestRatio` × the memory request. */
const memoryLevelSchema = z
  .strictObject({
    bytes: z.number().nonnegative().optional().describe('Baseline working set in bytes. Wins over requestRatio.'),
    requestRatio: z.number().nonnegative().optional().describe('Baseline working set as a fraction of the request.'),
    noise: z.number().min(0).max(0.5).optional().describe('Relative variability of memory (default 0.01).'),
  })
  .describe('Memory level. Default is a kind-specific fraction of the request (steady: 0.6).');

const dailySchema = z
  .strictObject({
    amplitude: ratio.optional().describe('Relative swing of CPU between the daily peak and the mean (default 0.3).'),
    peakHour: z.number().min(0).max(24).optional().describe('Hour of the daily peak, UTC (default 14).'),
    memoryAmplitude: ratio.optional().describe('Relative daily swing of memory (default 0.03).'),
  })
  .describe('Daily seasonality.');

const weeklySchema = z
  .strictObject({
    amplitude: ratio.optional().describe('Relative swing of CPU over the week (default 0.1).'),
    peakDay: z.number().int().min(0).max(6).optional().describe('Day of the weekly peak, 0 = Monday (default 2).'),
  })
  .describe('Weekly seasonality.');

const commonShape = {
  cpu: cpuLevelSchema.optional(),
  memory: memoryLevelSchema.optional(),
  daily: dailySchema.optional(),
  weekly: weeklySchema.optional(),
};

const spikesSchema = z.strictObject({
  perHour: z.number().nonnegative().optional().describe('Mean number of spikes per hour (default 2).'),
  cores: z.number().nonnegative().optional().describe('Extra CPU at a spike in cores (default 3 × the CPU level).'),
  durationSec: z.number().positive().optional().describe('Length of one spike in seconds (default 60).'),
  memoryBytes: z.number().nonnegative().optional().describe('Extra working set during a spike (default 5 %).'),
});

const leakSchema = z.strictObject({
  bytesPerHour: z
    .number()
    .nonnegative()
    .optional()
    .describe('Growth of the working set. Default: reaches the memory limit 6 h after start.'),
  gcAmplitudeBytes: z.number().nonnegative().optional().describe('Optional GC sawtooth on top of the leak.'),
  gcPeriodSec: z.number().positive().optional().describe('Period of the GC sawtooth (default 300).'),
});

const demandSchema = z.strictObject({
  limitRatio: z.number().nonnegative().optional().describe('CPU demand as a multiple of the CPU limit (default 2).'),
  cores: z.number().nonnegative().optional().describe('CPU demand in cores. Wins over limitRatio.'),
});

const burstsSchema = z.strictObject({
  periodSec: z.number().positive().optional().describe('Time between burst starts (default 1800).'),
  duty: ratio.optional().describe('Fraction of each period spent bursting (default 0.2).'),
  cores: z.number().nonnegative().optional().describe('CPU during a burst (default 0.9 × limit or 2 × request).'),
  probability: ratio.optional().describe('Chance that a given period has a burst (default 1).'),
  memoryBytes: z.number().nonnegative().optional().describe('Extra working set during a burst.'),
});

const sawtoothSchema = z.strictObject({
  amplitudeBytes: z.number().nonnegative().optional().describe('Rise of memory between collections.'),
  periodSec: z.number().positive().optional().describe('Time between collections (default 600).'),
});

/** Names of the profile kinds, in schema order. */
export const USAGE_PROFILE_KINDS = ['steady', 'spiky', 'leak', 'cpu-bound', 'idle', 'bursty', 'sawtooth'] as const;

/** One of {@link USAGE_PROFILE_KINDS}. */
export type UsageProfileKind = (typeof USAGE_PROFILE_KINDS)[number];

/**
 * A container usage profile as written in scenario YAML. CPU values are in cores, memory in bytes, durations in
 * seconds, ratios are fractions. Every field is optional; see each field's description for its default.
 */
export const usageProfileSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('steady'), ...commonShape }).describe('Seasonal load around a level.'),
    z.strictObject({ kind: z.literal('idle'), ...commonShape }).describe('Tiny usage against big requests.'),
    z.strictObject({ kind: z.literal('spiky'), ...commonShape, spikes: spikesSchema.optional() }),
    z.strictObject({ kind: z.literal('leak'), ...commonShape, leak: leakSchema.optional() }),
    z.strictObject({ kind: z.literal('cpu-bound'), ...commonShape, demand: demandSchema.optional() }),
    z.strictObject({ kind: z.literal('bursty'), ...commonShape, bursts: burstsSchema.optional() }),
    z.strictObject({ kind: z.literal('sawtooth'), ...commonShape, sawtooth: sawtoothSchema.optional() }),
  ])
  .describe('How a container uses CPU and memory over time.');

/** A validated usage profile (the output of {@link usageProfileSchema}). */
export type UsageProfile = z.infer<typeof usageProfileSchema>;

/** The profile used when a scenario names none: `{ kind: 'steady' }` with every default. */
export const DEFAULT_USAGE_PROFILE: UsageProfile = Object.freeze({ kind: 'steady' });
