// SPDX-License-Identifier: Apache-2.0
// Expands the scenario's namespace entries (named ones and generators) into one plan per namespace, merged with
// the four namespaces every cluster has (default, kube-node-lease, kube-public, kube-system), sorted by name as
// etcd keys are. Ages are drawn so that objects look hours to weeks old.
import type { StringMap } from '../kube-types.ts';
import type { NamespacePlan } from './plan.ts';
import type { NamespaceSpec, Scenario } from './schema.ts';
import { kubeSystemWorkloads } from './kube-system.ts';
import type { Rng } from './rng.ts';
import { HOUR_MS, DAY_MS } from '../../../domain/time.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

type NamespaceBody = NamespacePlan['body'];

function emptyBody(): NamespaceBody {
  return { workloads: [], networkPolicies: false, roles: false };
}

function bodyOf(ns: NamespaceSpec): NamespaceBody {
  const { name: _name, generate: _generate, ...body } = ns;
  return body;
}

function substitute(map: StringMap | undefined, vars: { i: string; name: string }): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = v.replaceAll('{i}', vars.i).replaceAll('{name}', vars.name);
  return out;
}

interface Entry {
  name: string;
  body: NamespaceBody;
  labels: StringMap;
  annotations?: StringMap;
  generated: boolean;
}

function entriesOf(s: Scenario): Entry[] {
  const out: Entry[] = [];
  for (const ns of s.namespaces) {
    const body = bodyOf(ns);
    if (ns.name !== undefined) {
      out.push({ name: ns.name, body, labels: substitute(ns.labels, { i: '', name: ns.name }), ...(ns.annotations ? { annotations: ns.annotations } : {}), generated: false });
      continue;
    }
    const g = ns.generate as NonNullable<NamespaceSpec['generate']>;
    for (let k = 0; k < g.count; k++) {
      const i = String(g.start + k).padStart(g.digits, '0');
      const name = `${g.prefix}${i}`;
      out.push({ name, body, labels: substitute(ns.labels, { i, name }), ...(ns.annotations ? { annotations: ns.annotations } : {}), generated: true });
    }
  }
  return out;
}

function mergeSystem(entries: Entry[], s: Scenario): Entry[] {
  const byName = new Map<string, Entry>();
  for (const e of entries) {
    if (byName.has(e.name)) throw new Error(`namespace "${e.name}" is declared twice`);
    byName.set(e.name, e);
  }
  for (const name of SYSTEM_NAMESPACES) {
    const declared = byName.get(name);
    const extra = name === 'kube-system' ? kubeSystemWorkloads(s) : [];
    const body = declared ? { ...declared.body, workloads: [...extra, ...declared.body.workloads] } : { ...emptyBody(), workloads: extra };
    byName.set(name, { name, body, labels: declared?.labels ?? {}, generated: false });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One plan per namespace, sorted by name, with creation times drawn from the seed. Workloads are planned later. */
export function expandNamespaces(s: Scenario, nowMs: number, rng: Rng): NamespacePlan[] {
  const clusterCreatedMs = nowMs - s.cluster.ageDays * DAY_MS;
  const system = new Set<string>(SYSTEM_NAMESPACES);
  return mergeSystem(entriesOf(s), s).map((e) => {
    const isSystem = system.has(e.name);
    const oldest = Math.max(clusterCreatedMs + HOUR_MS, nowMs - 0.8 * s.cluster.ageDays * DAY_MS);
    const createdMs = isSystem ? clusterCreatedMs : Math.round(rng.between(oldest, nowMs - (e.generated ? DAY_MS : 7 * DAY_MS)));
    return {
      name: e.name,
      labels: { ...e.labels, 'kubernetes.io/metadata.name': e.name },
      ...(e.annotations ? { annotations: e.annotations } : {}),
      createdMs: Math.max(clusterCreatedMs, createdMs),
      body: e.body,
      generated: e.generated,
      system: isSystem,
      workloads: [],
    };
  });
}
