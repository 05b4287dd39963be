// SPDX-License-Identifier: Apache-2.0
// Building blocks of the scenario schema that mirror Kubernetes API fields (names, quantities, taints, probes).
// Every object is strict: a misspelt key in a scenario file is an error naming its path, not a silent default.
import { z } from 'zod';
import { isQuantity } from './quantity.ts';

/** An RFC 1123 label, as namespace, container and most object names must be. */
export const dnsLabelSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")');

/** An RFC 1123 subdomain (node names, object names with dots). */
export const dnsSubdomainSchema = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a lowercase RFC 1123 subdomain');

/** A quantity such as "500m", "2", "128Mi"; bare numbers are accepted and kept as their decimal string. */
export const quantitySchema = z
  .union([z.string(), z.number().nonnegative()])
  .transform((v) => String(v))
  .refine(isQuantity, { message: 'must be a Kubernetes quantity such as "500m", "2" or "128Mi"' });

export const stringMapSchema = z.record(z.string(), z.string());

export const resourceListSchema = z
  .strictObject({
    cpu: quantitySchema.optional(),
    memory: quantitySchema.optional(),
    'ephemeral-storage': quantitySchema.optional(),
  })
  .describe('A resource list (cpu in cores or millicores, memory in bytes with suffixes).');

export const taintEffectSchema = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().optional(),
  effect: taintEffectSchema,
});

export const tolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: taintEffectSchema.optional(),
  tolerationSeconds: z.number().int().optional(),
});

export const nodeSelectorRequirementSchema = z.strictObject({
  key: z.string().min(1),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});

export const probeSchema = z
  .strictObject({
    path: z.string().default('/healthz'),
    port: z.number().int().min(1).max(65535).default(8080),
    initialDelaySeconds: z.number().int().min(0).default(0),
    periodSeconds: z.number().int().min(1).default(10),
    timeoutSeconds: z.number().int().min(1).default(1),
    failureThreshold: z.number().int().min(1).default(3),
  })
  .describe('An HTTP GET probe.');

export const probesSchema = z.strictObject({
  liveness: probeSchema.optional(),
  readiness: probeSchema.optional(),
  startup: probeSchema.optional(),
});

export type Probe = z.infer<typeof probeSchema>;
export type ResourceList = z.infer<typeof resourceListSchema>;
export type TaintSpec = z.infer<typeof taintSchema>;
export type TolerationSpec = z.infer<typeof tolerationSchema>;
export type NodeSelectorRequirementSpec = z.infer<typeof nodeSelectorRequirementSchema>;
