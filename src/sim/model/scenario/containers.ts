// SPDX-License-Identifier: Apache-2.0
// A scenario container turned into the container spec the API server stores: defaulted fields (pull policy,
// termination message path, probe thresholds), requests defaulted from limits, LimitRange defaults applied by the
// LimitRanger admission plugin, and the service-account token volume mount every pod gets.
import type { Container, StringMap } from '../kube-types.ts';
import type { UsageProfile } from '../../usage/profiles.ts';
import { DEFAULT_USAGE_PROFILE } from '../../usage/profiles.ts';
import type { Probe, ResourceList } from './schema-common.ts';
import type { ContainerTemplate, LogProfile, WorkloadKind } from './schema-workload.ts';
import type { LimitRangeSpec } from './schema.ts';
import { defaultPullPolicy, imageIdOf, normalizeImage } from './images.ts';
import { parseQuantity } from './quantity.ts';

export interface ResourceAmounts {
  cpuCores?: number;
  memoryBytes?: number;
}

/** A container of a resolved pod template: its spec plus the numbers the scheduler and usage model need. */
export interface ResolvedContainer {
  readonly name: string;
  readonly spec: Container;
  /** Image as the runtime reports it, and its digest reference. */
  readonly statusImage: string;
  readonly imageID: string;
  readonly requests: { cpuCores: number; memoryBytes: number };
  readonly limits: ResourceAmounts;
  readonly usage: UsageProfile;
  readonly logs: LogProfile;
  /** Shared `resources` and `allocatedResources` values of the container status. */
  readonly statusResources: { requests?: StringMap; limits?: StringMap };
  readonly allocatedResources?: StringMap;
  readonly statusVolumeMounts: readonly Record<string, unknown>[];
  /** Names of the resources LimitRanger defaulted, for the pod's limit-ranger annotation. */
  readonly defaulted: { requests: string[]; limits: string[] };
}

export interface ContainerContext {
  kind: WorkloadKind;
  limitRange?: LimitRangeSpec;
  apiAccessVolume: string;
  claimMounts: readonly { name: string; mountPath: string }[];
  /** Failure mode applied to this container, if any (chooses the log profile, adds envFrom for config errors). */
  failureMode?: string;
  missingConfigMap?: string;
}

const KEYS = ['cpu', 'memory', 'ephemeral-storage'] as const;

function toMap(list: ResourceList | undefined): StringMap {
  const out: StringMap = {};
  for (const k of KEYS) if (list?.[k] !== undefined) out[k] = list[k];
  return out;
}

function applyDefaults(c: ContainerTemplate, lr: LimitRangeSpec | undefined): { requests: StringMap; limits: StringMap; defaulted: ResolvedContainer['defaulted'] } {
  const limits = toMap(c.limits);
  const requests = toMap(c.requests);
  // API server defaulting: a limit without a request makes the request equal to the limit.
  for (const k of KEYS) if (limits[k] !== undefined && requests[k] === undefined) requests[k] = limits[k];
  const lrLimits = toMap(lr?.default);
  // LimitRanger: defaultRequest falls back to the default limit.
  const lrRequests = { ...lrLimits, ...toMap(lr?.defaultRequest) };
  return { requests, limits, defaulted: { limits: fillMissing(limits, lrLimits), requests: fillMissing(requests, lrRequests) } };
}

/** Copies defaults for the keys `target` lacks; returns the keys it filled. */
function fillMissing(target: StringMap, defaults: StringMap): string[] {
  const filled: string[] = [];
  for (const k of KEYS) {
    const d = defaults[k];
    if (target[k] !== undefined || d === undefined) continue;
    target[k] = d;
    filled.push(k);
  }
  return filled;
}

function httpProbe(p: Probe): Record<string, unknown> {
  return {
    failureThreshold: p.failureThreshold,
    httpGet: { path: p.path, port: p.port, scheme: 'HTTP' },
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    successThreshold: 1,
    timeoutSeconds: p.timeoutSeconds,
  };
}

function ports(c: ContainerTemplate): Record<string, unknown>[] | undefined {
  return c.ports?.map((p) => (typeof p === 'number' ? { containerPort: p, protocol: 'TCP' } : { containerPort: p.port, name: p.name, protocol: p.protocol }));
}

function defaultLogs(c: ContainerTemplate, ctx: ContainerContext): LogProfile {
  if (ctx.failureMode === 'crashloop') return 'crashloop';
  if (ctx.failureMode === 'config-error') return 'config-error';
  if (ctx.failureMode === 'oom') return 'oom';
  if (c.logs) return c.logs;
  if (ctx.kind === 'Job' || ctx.kind === 'CronJob') return 'batch';
  if (/postgres|mysql|mariadb|redis|mongo|cassandra|elasticsearch/.test(c.image)) return 'database';
  return c.ports?.length ? 'web' : 'worker';
}

/** `{limits, requests}` with empty lists left out, as the API server serializes them. */
function resourcesOf(res: { requests: StringMap; limits: StringMap }): { requests?: StringMap; limits?: StringMap } {
  return { ...(Object.keys(res.limits).length ? { limits: res.limits } : {}), ...(Object.keys(res.requests).length ? { requests: res.requests } : {}) };
}

/** Optional fields in the order the API server prints a container. */
function optionalFields(c: ContainerTemplate, ctx: ContainerContext): Record<string, unknown> {
  const probe = (p: Probe | undefined): Record<string, unknown> | undefined => (p ? httpProbe(p) : undefined);
  const fields: Record<string, unknown> = {
    command: c.command,
    args: c.args,
    env: c.env && Object.entries(c.env).map(([name, value]) => ({ name, value })),
    envFrom: ctx.missingConfigMap && [{ configMapRef: { name: ctx.missingConfigMap } }],
    imagePullPolicy: defaultPullPolicy(c.image),
    livenessProbe: probe(c.probes?.liveness),
    ports: ports(c),
    readinessProbe: probe(c.probes?.readiness),
  };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return fields;
}

function specOf(c: ContainerTemplate, parts: { res: { requests: StringMap; limits: StringMap }; ctx: ContainerContext; mounts: Record<string, unknown>[] }): Container {
  const spec: Container = { name: c.name, image: c.image, ...optionalFields(c, parts.ctx), resources: resourcesOf(parts.res) };
  if (c.probes?.startup) spec.startupProbe = httpProbe(c.probes.startup);
  spec.terminationMessagePath = '/dev/termination-log';
  spec.terminationMessagePolicy = 'File';
  spec.volumeMounts = parts.mounts;
  return spec;
}

/** A container that has been OOM-killed before leaks unless the scenario says otherwise. */
function defaultUsage(ctx: ContainerContext): UsageProfile {
  return ctx.failureMode === 'oom' ? { kind: 'leak' } : DEFAULT_USAGE_PROFILE;
}

function amounts(map: StringMap): { cpuCores?: number; memoryBytes?: number } {
  const out: { cpuCores?: number; memoryBytes?: number } = {};
  if (map.cpu !== undefined) out.cpuCores = parseQuantity(map.cpu);
  if (map.memory !== undefined) out.memoryBytes = parseQuantity(map.memory);
  return out;
}

/** Resolves one container of a template for the given namespace context. */
export function resolveContainer(c: ContainerTemplate, ctx: ContainerContext): ResolvedContainer {
  const res = applyDefaults(c, ctx.limitRange);
  const mounts: Record<string, unknown>[] = [
    ...ctx.claimMounts.map((m) => ({ mountPath: m.mountPath, name: m.name })),
    { mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: ctx.apiAccessVolume, readOnly: true },
  ];
  const req = amounts(res.requests);
  const hasRequests = Object.keys(res.requests).length > 0;
  const declared = c.requests !== undefined || c.limits !== undefined || hasRequests;
  return {
    name: c.name,
    spec: specOf(c, { res, ctx, mounts }),
    statusImage: normalizeImage(c.image),
    imageID: imageIdOf(c.image),
    requests: { cpuCores: req.cpuCores ?? 0, memoryBytes: req.memoryBytes ?? 0 },
    limits: amounts(res.limits),
    usage: c.usage ?? defaultUsage(ctx),
    logs: defaultLogs(c, ctx),
    statusResources: declared ? resourcesOf(res) : {},
    ...(hasRequests ? { allocatedResources: res.requests } : {}),
    statusVolumeMounts: mounts.map((m) => ({ ...m, ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) })),
    defaulted: res.defaulted,
  };
}

/** The LimitRanger annotation text ("LimitRanger plugin set: cpu, memory request for container app; ..."). */
export function limitRangerAnnotation(containers: readonly ResolvedContainer[]): string | undefined {
  const parts: string[] = [];
  for (const c of containers) {
    if (c.defaulted.requests.length) parts.push(`${c.defaulted.requests.join(', ')} request for container ${c.name}`);
    if (c.defaulted.limits.length) parts.push(`${c.defaulted.limits.join(', ')} limit for container ${c.name}`);
  }
  return parts.length ? `LimitRanger plugin set: ${parts.join('; ')}` : undefined;
}
