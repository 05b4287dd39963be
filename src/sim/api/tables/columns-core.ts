// SPDX-License-Identifier: Apache-2.0
// Nodes, namespaces, config maps, resource quotas and leases, plus the generic table for kinds without a printer.
import { objectAge } from './age.ts';
import { AGE_COLUMN, CREATION_TIMESTAMP_DESCRIPTION, NAME_COLUMN, col } from './column-defs.ts';
import { at, rec, recs, str, stringMap, timeMs } from './fields.ts';
import { quantity } from './format.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { PrintContext, PrintedRow, Printer } from './table-types.ts';

const NODE_ADDRESSES_DOC =
  'List of addresses reachable to the node. Queried from cloud provider, if available. More info: ' +
  'https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but ' +
  'the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should ' +
  'instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that ' +
  'addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be ' +
  "possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API " +
  '(status.hostIP).';

const NODE_COLUMNS = [
  NAME_COLUMN,
  col('Status', 'The status of the node'),
  col('Roles', 'The roles of the node'),
  AGE_COLUMN,
  col('Version', 'Kubelet Version reported by the node.'),
  col('Internal-IP', NODE_ADDRESSES_DOC, { wide: true }),
  col('External-IP', NODE_ADDRESSES_DOC, { wide: true }),
  col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', {
    wide: true,
  }),
  col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", {
    wide: true,
  }),
  col(
    'Container-Runtime',
    'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    { wide: true },
  ),
];

const ROLE_LABEL_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE_LABEL = 'kubernetes.io/role';

/** Only the Ready condition is shown: `Ready`, `NotReady` (False or Unknown), or `Unknown` when it is absent. */
function nodeStatus(node: KubeObject): string {
  const ready = recs(at(node, 'status', 'conditions')).filter((c) => c['type'] === 'Ready').at(-1);
  const parts = [ready === undefined ? 'Unknown' : ready['status'] === 'True' ? 'Ready' : 'NotReady'];
  if (at(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_LABEL_PREFIX) && k.length > ROLE_LABEL_PREFIX.length) roles.add(k.slice(ROLE_LABEL_PREFIX.length));
    else if (k === LEGACY_ROLE_LABEL && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  const found = recs(at(node, 'status', 'addresses')).find((a) => a['type'] === type);
  return found === undefined ? '<none>' : str(found['address']);
}

function orUnknown(s: string): string {
  return s === '' ? '<unknown>' : s;
}

function printNode(node: KubeObject, ctx: PrintContext): PrintedRow {
  const info = rec(at(node, 'status', 'nodeInfo'));
  return {
    cells: [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node),
      objectAge(node, ctx.nowMs),
      str(info['kubeletVersion']),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      orUnknown(str(info['osImage'])),
      orUnknown(str(info['kernelVersion'])),
      orUnknown(str(info['containerRuntimeVersion'])),
    ],
  };
}

export const nodePrinter: Printer = { columns: NODE_COLUMNS, print: printNode };

export const namespacePrinter: Printer = {
  columns: [NAME_COLUMN, col('Status', 'The status of the namespace'), AGE_COLUMN],
  print: (ns, ctx) => ({ cells: [ns.metadata.name, str(at(ns, 'status', 'phase')), objectAge(ns, ctx.nowMs)] }),
};

const CONFIG_MAP_DATA_DOC =
  "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. " +
  'Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap ' +
  'with the keys in the BinaryData field, this is enforced during validation process.';

export const configMapPrinter: Printer = {
  columns: [NAME_COLUMN, col('Data', CONFIG_MAP_DATA_DOC), AGE_COLUMN],
  print: (cm, ctx) => ({
    cells: [
      cm.metadata.name,
      Object.keys(rec(cm['data'])).length + Object.keys(rec(cm['binaryData'])).length,
      objectAge(cm, ctx.nowMs),
    ],
  }),
};

/**
 * `requests.cpu: 500m/1, pods: 3/10` for every hard limit, sorted by resource name; `limits.*` resources go to
 * the LIMIT column, everything else (including bare `cpu`, `pods`, `count/...`) to REQUEST. A resource not yet
 * counted in status.used prints as `0`.
 */
function quotaCells(quota: KubeObject): [string, string] {
  const hard = stringMap(at(quota, 'status', 'hard'));
  const used = stringMap(at(quota, 'status', 'used'));
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${quantity(used[name])}/${quantity(hard[name])}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

// Kubernetes 1.33 moved AGE to the last column (it used to come second, NAME AGE REQUEST LIMIT).
export const resourceQuotaPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col(
      'Limit',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
    AGE_COLUMN,
  ],
  print: (quota, ctx) => ({ cells: [quota.metadata.name, ...quotaCells(quota), objectAge(quota, ctx.nowMs)] }),
};

export const leasePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col(
      'Holder',
      'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is ' +
        'used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
    ),
    AGE_COLUMN,
  ],
  print: (lease, ctx) => ({
    cells: [lease.metadata.name, str(at(lease, 'spec', 'holderIdentity')), objectAge(lease, ctx.nowMs)],
  }),
};

/** RFC 3339 at second precision in UTC, Go's zero time when missing (`0001-01-01T00:00:00Z`). */
function createdAt(obj: KubeObject): string {
  const ms = timeMs(obj.metadata.creationTimestamp);
  return ms === undefined ? '0001-01-01T00:00:00Z' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The API server's default table for kinds without a printer (LimitRange, Role, ClusterRole, ...): NAME and a
 * `date` column CREATED AT holding the raw timestamp, which kubectl prints as is (no age).
 */
export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, col('Created At', CREATION_TIMESTAMP_DESCRIPTION, { type: 'date' })],
  print: (obj) => ({ cells: [obj.metadata.name, createdAt(obj)] }),
};
