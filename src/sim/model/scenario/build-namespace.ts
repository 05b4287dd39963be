// SPDX-License-Identifier: Apache-2.0
// Everything stored for one namespace, in dependency order: basics (ConfigMaps, LimitRange, RBAC, policies),
// claims, controllers, pods, Services, autoscalers and budgets, the quota (whose usage depends on all of those),
// and the controllers' own recent events.
import type { NamespacePlan, WorkloadPlan } from './plan.ts';
import type { NamespaceBuildEnv } from './build-context.ts';
import type { ServiceInput, ServicePort } from './build-services.ts';
import { createNamespaceBasics, quotaObject } from './build-namespaces.ts';
import { createClaim } from './build-storage.ts';
import { createService } from './build-services.ts';
import { createControllers, createNamespacePods } from './build-workloads.ts';
import { hpaObject, pdbObject } from './build-autoscaling.ts';
import { isReadyPlan } from './controller-common.ts';
import { podLabels } from './plan-helpers.ts';
import { addPodTotals, emptyTotals, type NamespaceTotals } from './quota.ts';
import { parseQuantity } from './quantity.ts';
import { recordControllerEvents } from './controller-events.ts';
import { collectRuntime } from './runtime-bookkeeping.ts';


function createClaims(env: NamespaceBuildEnv, ns: NamespacePlan, totals: NamespaceTotals): void {
  for (const w of ns.workloads) {
    for (const c of w.template.volumeClaims ?? []) {
      const pods = w.groups.flatMap((g) => g.pods);
      const perPod = w.template.kind === 'StatefulSet';
      const targets = perPod ? pods.map((p) => ({ name: `${c.name}-${w.name}-${p.ordinal}`, pod: p })) : [{ name: `${w.name}-${c.name}`, pod: pods[0] }];
      for (const t of targets) {
        createClaim(env.storage, { namespace: ns.name, name: t.name, template: c, labels: podLabels(w.template, w.name), createdMs: t.pod?.createdMs ?? w.createdMs, ...(t.pod?.node ? { node: t.pod.node, pod: t.pod.name } : {}) });
        totals.claims++;
        totals.storageBytes += parseQuantity(c.storage);
      }
    }
  }
}

function servicePorts(w: WorkloadPlan): ServicePort[] {
  const svc = typeof w.template.service === 'object' ? w.template.service : undefined;
  const ports = w.template.containers[0]?.ports ?? [];
  const mapped = ports.map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' as const } : { name: p.name, port: p.port, protocol: p.protocol }));
  if (!mapped.length) return [{ name: 'http', port: svc?.port ?? 80, targetPort: 8080, protocol: 'TCP' }];
  return mapped.map((p, i) => ({ name: p.name ?? (i === 0 ? 'http' : `port-${p.port}`), port: i === 0 && w.template.kind !== 'StatefulSet' ? (svc?.port ?? 80) : p.port, targetPort: p.port, protocol: p.protocol }));
}

function wantsService(w: WorkloadPlan): boolean {
  const s = w.template.service;
  if (s !== undefined) return s !== false;
  if (w.template.kind !== 'Deployment' && w.template.kind !== 'StatefulSet') return false;
  return w.template.containers.some((c) => (c.ports?.length ?? 0) > 0);
}

function backendsOf(w: WorkloadPlan): ServiceInput['backends'] {
  const out: ServiceInput['backends'] = [];
  for (const g of w.groups) {
    for (const p of g.pods) {
      if (p.pod && p.node && (p.state === 'running' || p.state === 'failure')) out.push({ pod: p.pod, ready: isReadyPlan(p, g.rt), node: p.node });
    }
  }
  return out;
}

function serviceInput(w: WorkloadPlan): ServiceInput {
  const svc = typeof w.template.service === 'object' ? w.template.service : undefined;
  const labels = podLabels(w.template, w.name);
  return {
    name: w.name,
    namespace: w.ns.name,
    createdMs: w.createdMs + 5000,
    labels,
    selector: labels,
    type: svc?.type ?? 'ClusterIP',
    headless: w.template.kind === 'StatefulSet',
    ports: servicePorts(w),
    backends: backendsOf(w),
  };
}

function createServices(env: NamespaceBuildEnv, ns: NamespacePlan, totals: NamespaceTotals): void {
  const inputs: ServiceInput[] = ns.workloads.filter(wantsService).map(serviceInput);
  if (ns.name === 'kube-system') {
    const coredns = ns.workloads.find((w) => w.name === 'coredns');
    if (coredns) {
      const base = serviceInput(coredns);
      const ports: ServicePort[] = [{ name: 'dns', port: 53, targetPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP' }];
      inputs.push({ ...base, name: 'kube-dns', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, ports, clusterIP: '10.96.0.10' });
    }
  }
  for (const s of inputs.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    createService(env.store, s, { ips: env.ips, rng: env.rng, nowMs: env.nowMs });
    totals.services++;
    if (s.type === 'LoadBalancer') totals.loadBalancers++;
    if (s.type !== 'ClusterIP') totals.nodePorts++;
  }
}

function createScalers(env: NamespaceBuildEnv, ns: NamespacePlan): void {
  const hpas = ns.workloads.map((w) => hpaObject(w, env.rng, env.nowMs)).filter((o) => o !== undefined);
  for (const h of hpas) env.store.create(h);
  const pdbs = ns.workloads.map(pdbObject).filter((o) => o !== undefined);
  for (const p of pdbs) env.store.create(p);
}

/** Builds one namespace completely (the Namespace object itself is created beforehand). */
export function buildNamespace(env: NamespaceBuildEnv, ns: NamespacePlan): void {
  const totals = emptyTotals();
  addPodTotals(totals, ns);
  totals.configMaps = createNamespaceBasicsCount(env, ns);
  createClaims(env, ns, totals);
  createControllers(env, ns);
  createNamespacePods(env, ns);
  createServices(env, ns, totals);
  createScalers(env, ns);
  countObjects(totals, ns);
  const quota = quotaObject(ns, totals);
  if (quota) env.store.create(quota);
  recordControllerEvents(env, ns);
  collectRuntime(env, ns);
}

const COUNT_KEYS: Record<string, string> = { Deployment: 'deployments.apps', StatefulSet: 'statefulsets.apps', DaemonSet: 'daemonsets.apps', Job: 'jobs.batch', CronJob: 'cronjobs.batch' };

/** Object counts for `count/<resource>.<group>` quotas. */
function countObjects(totals: NamespaceTotals, ns: NamespacePlan): void {
  const add = (key: string, n: number): void => {
    totals.counts[key] = (totals.counts[key] ?? 0) + n;
  };
  for (const w of ns.workloads) {
    const key = COUNT_KEYS[w.template.kind];
    if (key) add(key, 1);
    add('replicasets.apps', w.groups.filter((g) => g.ownerKind === 'ReplicaSet').length);
    if (w.template.kind === 'CronJob') add('jobs.batch', w.groups.length);
  }
}

function createNamespaceBasicsCount(env: NamespaceBuildEnv, ns: NamespacePlan): number {
  createNamespaceBasics(env.store, ns);
  return 1 + (ns.body.configMaps?.length ?? 0) + (ns.name === 'kube-system' ? 1 : 0);
}
