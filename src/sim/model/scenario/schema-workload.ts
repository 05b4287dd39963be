// SPDX-License-Identifier: Apache-2.0
// The workload part of a scenario: templates of Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and bare
// Pods, each with a count, its containers (image, requests/limits, usage and log profiles, probes), storage,
// autoscaling, disruption budget and an optional failure mode reproducing what a real cluster shows.
import { z } from 'zod';
import { usageProfileSchema } from '../../usage/profiles.ts';
import { parseCron } from './cron.ts';
import {
  dnsLabelSchema,
  nodeSelectorRequirementSchema,
  probesSchema,
  quantitySchema,
  resourceListSchema,
  stringMapSchema,
  tolerationSchema,
} from './schema-common.ts';

/** Log profiles the log renderer (src/sim/logs) knows. */
export const LOG_PROFILES = ['web', 'worker', 'database', 'batch', 'crashloop', 'oom', 'json-service', 'config-error'] as const;
export type LogProfile = (typeof LOG_PROFILES)[number];

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

const portSchema = z.union([
  z.number().int().min(1).max(65535),
  z.strictObject({ name: z.string().optional(), port: z.number().int().min(1).max(65535), protocol: z.enum(['TCP', 'UDP']).default('TCP') }),
]);

export const containerSchema = z.strictObject({
  name: dnsLabelSchema,
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: stringMapSchema.optional(),
  ports: z.array(portSchema).optional(),
  requests: resourceListSchema.optional(),
  limits: resourceListSchema.optional(),
  usage: usageProfileSchema.optional().describe('How the container uses CPU and memory (src/sim/usage).'),
  logs: z.enum(LOG_PROFILES).optional().describe('Log profile; defaults by workload kind and failure mode.'),
  probes: probesSchema.optional(),
});

const podsAffected = z.number().int().min(1).optional().describe('How many pods of the workload fail (default all).');
const containerName = dnsLabelSchema.optional().describe('Failing container (default the first).');

export const failureSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('crashloop'), container: containerName, pods: podsAffected, exitCode: z.number().int().default(1), restarts: z.number().int().min(1).default(6) }),
  z.strictObject({ mode: z.literal('image-pull'), container: containerName, pods: podsAffected, image: z.string().optional(), reason: z.enum(['not-found', 'unauthorized']).default('not-found') }),
  z.strictObject({ mode: z.literal('config-error'), container: containerName, pods: podsAffected, configMap: dnsLabelSchema }),
  z.strictObject({ mode: z.literal('liveness'), container: containerName, pods: podsAffected, statusCode: z.number().int().default(500), restarts: z.number().int().min(1).default(4) }),
  z.strictObject({ mode: z.literal('readiness'), container: containerName, pods: podsAffected, statusCode: z.number().int().default(503) }),
  z.strictObject({ mode: z.literal('evicted'), count: z.number().int().min(1).default(3), resource: z.enum(['memory', 'ephemeral-storage']).default('memory') }),
  z.strictObject({ mode: z.literal('rollout-stuck'), image: z.string().min(1), cause: z.enum(['image-pull', 'crashloop']).default('image-pull') }),
  z.strictObject({ mode: z.literal('oom'), container: containerName, pods: podsAffected, restarts: z.number().int().min(1).default(1) }),
]);

export const volumeClaimSchema = z.strictObject({
  name: dnsLabelSchema,
  storage: quantitySchema,
  storageClass: dnsLabelSchema.optional().describe('Default: the default StorageClass. A missing class leaves the claim Pending.'),
  accessModes: z.array(z.enum(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'])).default(['ReadWriteOnce']),
  mountPath: z.string().default('/data'),
  usedPercent: z.number().min(0).max(100).default(20).describe('Initial fill of the volume.'),
  fullInHours: z.number().positive().optional().describe('Hours until the volume is full; default: it grows 1 % a day.'),
});

export const hpaSchema = z.strictObject({
  min: z.number().int().min(1).default(1),
  max: z.number().int().min(1),
  targetCpuPercent: z.number().int().min(1).default(70),
  currentCpuPercent: z.number().int().min(0).optional().describe('Reported utilization; default near the target.'),
  stuckAtMax: z.boolean().default(false).describe('Desired replicas above max: ScalingLimited=True TooManyReplicas.'),
});

export const pdbSchema = z
  .strictObject({ minAvailable: z.union([z.number().int(), z.string()]).optional(), maxUnavailable: z.union([z.number().int(), z.string()]).optional() })
  .refine((p) => (p.minAvailable === undefined) !== (p.maxUnavailable === undefined), 'set exactly one of minAvailable or maxUnavailable');

export const serviceSchema = z.strictObject({
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer']).default('ClusterIP'),
  port: z.number().int().min(1).max(65535).default(80),
});

function checkSchedule(schedule: string | undefined, report: (message: string) => void): void {
  if (schedule === undefined) return report('a CronJob needs a schedule');
  try {
    parseCron(schedule);
  } catch (err) {
    report((err as Error).message);
  }
}

export const workloadSchema = z
  .strictObject({
    name: dnsLabelSchema,
    kind: z.enum(WORKLOAD_KINDS),
    count: z.number().int().min(1).default(1).describe('Copies of this template, named name-1..name-N when above 1.'),
    replicas: z.number().int().min(0).default(1),
    labels: stringMapSchema.optional(),
    annotations: stringMapSchema.optional(),
    containers: z.array(containerSchema).min(1),
    initContainers: z.array(containerSchema).optional(),
    nodeSelector: stringMapSchema.optional(),
    tolerations: z.array(tolerationSchema).optional(),
    requiredNodeAffinity: z.array(nodeSelectorRequirementSchema).optional().describe('One required node selector term.'),
    priorityClassName: z.string().optional(),
    volumeClaims: z.array(volumeClaimSchema).optional(),
    service: z.union([z.boolean(), serviceSchema]).optional().describe('Default: a ClusterIP Service when a container has ports.'),
    hpa: hpaSchema.optional(),
    pdb: pdbSchema.optional(),
    failure: failureSchema.optional(),
    schedule: z.string().optional().describe('CronJob schedule (minute and hour fields: "*", "*/n", "n", "a,b").'),
    completions: z.number().int().min(1).optional(),
    parallelism: z.number().int().min(1).optional(),
    backoffLimit: z.number().int().min(0).default(6),
    durationMinutes: z.number().positive().default(5).describe('Run time of one Job pod.'),
    churn: z.boolean().default(false).describe('Pods of this workload are deleted and recreated at the churn rate.'),
    ageHours: z.number().positive().optional().describe('Age of the current rollout; default random, hours to weeks.'),
  })
  .superRefine((w, ctx) => {
    if (w.kind === 'CronJob') checkSchedule(w.schedule, (message) => ctx.addIssue({ code: 'custom', path: ['schedule'], message }));
    if (w.hpa && w.kind !== 'Deployment' && w.kind !== 'StatefulSet') ctx.addIssue({ code: 'custom', path: ['hpa'], message: 'only Deployments and StatefulSets scale' });
  });

export type ContainerTemplate = z.infer<typeof containerSchema>;
export type FailureSpec = z.infer<typeof failureSchema>;
export type VolumeClaimTemplate = z.infer<typeof volumeClaimSchema>;
export type HpaSpec = z.infer<typeof hpaSchema>;
export type WorkloadTemplate = z.infer<typeof workloadSchema>;
export type WorkloadInput = z.input<typeof workloadSchema>;
