// SPDX-License-Identifier: Apache-2.0
// The scenario file: a cluster (node pools, namespaces with workloads, quotas, storage) and how it changes over
// time (node condition scripts, churn). Parsed once with zod; errors name the offending path.
import { z } from 'zod';
import {
  dnsLabelSchema,
  quantitySchema,
  resourceListSchema,
  stringMapSchema,
  taintSchema,
} from './schema-common.ts';
import { workloadSchema } from './schema-workload.ts';
import { ConfigError } from '../../../errors/app-error.ts';

export const NODE_CONDITION_SCRIPTS = ['NotReady', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export const nodeConditionScriptSchema = z.strictObject({
  condition: z.enum(NODE_CONDITION_SCRIPTS),
  nodes: z.array(z.number().int().min(0)).min(1).default([0]).describe('Indexes of the affected nodes in the pool.'),
  fromMinute: z.number().default(0).describe('Minutes after the scenario start; 0 or less: already so at start.'),
  untilMinute: z.number().optional().describe('When the node recovers; default never.'),
});

export const nodePoolSchema = z.strictObject({
  name: dnsLabelSchema,
  count: z.number().int().min(0),
  namePrefix: z.string().regex(/^[a-z0-9][-a-z0-9.]*$/).optional().describe('Default: "<pool>-node-".'),
  instanceType: z.string().default('standard-8'),
  zones: z.array(z.string().min(1)).min(1).default(['zone-a']).describe('Nodes are spread round-robin across these zones.'),
  capacity: z.strictObject({
    cpu: quantitySchema,
    memory: quantitySchema,
    pods: z.number().int().min(1).max(1024).default(110),
    'ephemeral-storage': quantitySchema.default('100Gi'),
  }),
  reserved: resourceListSchema.optional().describe('System and kube reserved; allocatable = capacity - reserved.'),
  labels: stringMapSchema.optional(),
  taints: z.array(taintSchema).optional(),
  unschedulable: z.boolean().default(false).describe('Cordoned.'),
  kubeletVersion: z.string().optional(),
  ageDays: z.number().positive().optional().describe('Node age; default spread between 1 and 30 days.'),
  conditions: z.array(nodeConditionScriptSchema).optional(),
});

export const quotaSchema = z.strictObject({
  name: dnsLabelSchema.optional(),
  hard: z.record(z.string(), quantitySchema),
});

export const limitRangeSchema = z.strictObject({
  name: dnsLabelSchema.optional(),
  default: resourceListSchema.optional(),
  defaultRequest: resourceListSchema.optional(),
  max: resourceListSchema.optional(),
  min: resourceListSchema.optional(),
});

const namespaceBody = {
  labels: stringMapSchema.optional().describe('"{i}" and "{name}" are replaced in generated namespaces.'),
  annotations: stringMapSchema.optional(),
  workloads: z.array(workloadSchema).default([]),
  quota: quotaSchema.optional(),
  limitRange: limitRangeSchema.optional(),
  networkPolicies: z.boolean().default(false),
  configMaps: z.array(dnsLabelSchema).optional().describe('Extra ConfigMaps besides kube-root-ca.crt.'),
  roles: z.boolean().optional().describe('Developer Role and RoleBinding; default on for named namespaces.'),
};

export const namespaceGeneratorSchema = z.strictObject({
  count: z.number().int().min(1),
  prefix: z.string().regex(/^[a-z0-9][-a-z0-9]*$/),
  start: z.number().int().min(0).default(1),
  digits: z.number().int().min(1).max(9).default(5),
});

export const namespaceSchema = z
  .strictObject({ name: dnsLabelSchema.optional(), generate: namespaceGeneratorSchema.optional(), ...namespaceBody })
  .refine((ns) => (ns.name === undefined) !== (ns.generate === undefined), 'set exactly one of name or generate');

export const storageClassSchema = z.strictObject({
  name: dnsLabelSchema,
  provisioner: z.string().default('ebs.csi.aws.com'),
  default: z.boolean().default(false),
  volumeBindingMode: z.enum(['Immediate', 'WaitForFirstConsumer']).default('WaitForFirstConsumer'),
  reclaimPolicy: z.enum(['Delete', 'Retain']).default('Delete'),
  allowVolumeExpansion: z.boolean().default(true),
});

export const clusterSchema = z.strictObject({
  name: dnsLabelSchema.default('krm-sim'),
  kubernetesVersion: z.string().regex(/^v\d+\.\d+\.\d+$/).default('v1.35.0'),
  ageDays: z.number().positive().default(90),
  osImage: z.string().default('Ubuntu 24.04.2 LTS'),
  kernelVersion: z.string().default('6.8.0-1021-aws'),
  containerRuntimeVersion: z.string().default('containerd://2.0.5'),
});

export const kubeSystemSchema = z.strictObject({
  corednsReplicas: z.number().int().min(0).default(2),
  kubeProxy: z.boolean().default(true).describe('kube-proxy DaemonSet (off when the CNI replaces it).'),
  cni: z.enum(['calico', 'cilium', 'none']).default('calico'),
  metricsServer: z.boolean().default(true),
});

export const churnSchema = z.strictObject({
  podsPerSecond: z.number().min(0).default(0).describe('Pods of churn-enabled workloads deleted and recreated per second.'),
  events: z.boolean().default(true).describe('Emit Scheduled/Pulled/Created/Started events for new pods.'),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).default(1),
  startTime: z.iso.datetime().optional().describe('Scenario clock start (RFC 3339); default: the current time.'),
  cluster: clusterSchema.prefault({}),
  kubeSystem: kubeSystemSchema.prefault({}),
  nodePools: z.array(nodePoolSchema).min(1),
  storageClasses: z.array(storageClassSchema).default([{ name: 'standard', provisioner: 'ebs.csi.aws.com', default: true, volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Delete', allowVolumeExpansion: true }]),
  namespaces: z.array(namespaceSchema).default([]),
  churn: churnSchema.prefault({}),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type NodePool = z.infer<typeof nodePoolSchema>;
export type NamespaceSpec = z.infer<typeof namespaceSchema>;
export type NodeConditionScript = z.infer<typeof nodeConditionScriptSchema>;
export type QuotaSpec = z.infer<typeof quotaSchema>;
export type LimitRangeSpec = z.infer<typeof limitRangeSchema>;
export type StorageClassSpec = z.infer<typeof storageClassSchema>;

/** A scenario file that does not match the schema. The message lists every problem with its path. */
/** A scenario that cannot be used: not found (KRM_SCENARIO_NOT_FOUND) or not valid (KRM_SCENARIO_INVALID). */
export class ScenarioError extends ConfigError {
  constructor(message: string, opts: { cause?: unknown; code?: 'KRM_SCENARIO_INVALID' | 'KRM_SCENARIO_NOT_FOUND' } = {}) {
    super(opts.code ?? 'KRM_SCENARIO_INVALID', message, { cause: opts.cause });
  }
}

/** Validates parsed YAML/JSON against the schema; throws ScenarioError naming each bad path. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const res = scenarioSchema.safeParse(input);
  if (res.success) return res.data;
  throw new ScenarioError(`${source} is invalid:\n${z.prettifyError(res.error)}`, { cause: res.error });
}
