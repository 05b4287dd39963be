// SPDX-License-Identifier: Apache-2.0
// Pods: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED NODE READINESS GATES. Succeeded and Failed pods
// carry a `Completed` row condition, as upstream sets one for both terminal phases.
import { objectAge } from './age.ts';
import { AGE_COLUMN, NAME_COLUMN, col } from './column-defs.ts';
import { at, recs, str } from './fields.ts';
import type { JsonRecord } from './fields.ts';
import { summarizePod } from './pod-status.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { PrintContext, PrintedRow, Printer, TableRowCondition } from './table-types.ts';

const NONE = '<none>';

const COLUMNS = [
  NAME_COLUMN,
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod ' +
      'has restarted.',
  ),
  AGE_COLUMN,
  col(
    'IP',
    'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
    { wide: true },
  ),
  col(
    'Node',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by ' +
      'the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes ' +
      'responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod ' +
      'to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
    { wide: true },
  ),
  col(
    'Nominated Node',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled ' +
      'right away as preemption victims receive their graceful termination periods. This field does not guarantee ' +
      'that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes ' +
      'become available sooner. Scheduler may also decide to give the resources on this node to a higher priority ' +
      'pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when ' +
      'the pod is scheduled.',
    { wide: true },
  ),
  col(
    'Readiness Gates',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its ' +
      'containers are ready AND all conditions specified in the readiness gates have status equal to "True" More ' +
      'info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
    { wide: true },
  ),
];

const SUCCEEDED: TableRowCondition = {
  type: 'Completed',
  status: 'True',
  reason: 'Succeeded',
  message: 'The pod has completed successfully.',
};
const FAILED: TableRowCondition = { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' };

function orNone(s: string): string {
  return s === '' ? NONE : s;
}

function podIP(pod: KubeObject): string {
  // The internal type only has podIPs; converting from v1 fills it from podIP when the list is empty.
  const first = recs(at(pod, 'status', 'podIPs'))[0];
  return orNone(first !== undefined ? str(first['ip']) : str(at(pod, 'status', 'podIP')));
}

function readinessGates(pod: KubeObject): string {
  const gates = recs(at(pod, 'spec', 'readinessGates'));
  if (gates.length === 0) return NONE;
  const conditions = recs(at(pod, 'status', 'conditions'));
  const passed = gates.filter((g) => {
    const cond: JsonRecord | undefined = conditions.find((c) => c['type'] === g['conditionType']);
    return cond !== undefined && cond['status'] === 'True';
  }).length;
  return `${passed}/${gates.length}`;
}

function rowConditions(pod: KubeObject): TableRowCondition[] | undefined {
  const phase = str(at(pod, 'status', 'phase'));
  if (phase === 'Succeeded') return [SUCCEEDED];
  if (phase === 'Failed') return [FAILED];
  return undefined;
}

function printPod(pod: KubeObject, ctx: PrintContext): PrintedRow {
  const s = summarizePod(pod, ctx.nowMs);
  const cells = [
    pod.metadata.name,
    s.ready,
    s.status,
    s.restarts,
    objectAge(pod, ctx.nowMs),
    podIP(pod),
    orNone(str(at(pod, 'spec', 'nodeName'))),
    orNone(str(at(pod, 'status', 'nominatedNodeName'))),
    readinessGates(pod),
  ];
  const conditions = rowConditions(pod);
  return conditions === undefined ? { cells } : { cells, conditions };
}

export const podPrinter: Printer = { columns: COLUMNS, print: printPod };
