// SPDX-License-Identifier: Apache-2.0
// Deployments, ReplicaSets, StatefulSets and DaemonSets. Integer cells are JSON numbers even where the column
// type says "string" (Deployment UP-TO-DATE and AVAILABLE), as upstream appends int64 values there.
import { objectAge } from './age.ts';
import { AGE_COLUMN, CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, NAME_COLUMN, col, templateColumns } from './column-defs.ts';
import { at, num } from './fields.ts';
import { containerCells, formatLabelSelector, formatLabels, labelSelectorString } from './format.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { Printer } from './table-types.ts';

const READY_DESCRIPTION = 'Number of the pod with ready state';

/** spec.replicas is defaulted to 1 by the apps/v1 API, so a stored object without it means 1. */
function desiredReplicas(obj: KubeObject): number {
  return num(at(obj, 'spec', 'replicas'), 1);
}

function statusCount(obj: KubeObject, field: string): number {
  return num(at(obj, 'status', field));
}

function templateSpec(obj: KubeObject): unknown {
  return at(obj, 'spec', 'template', 'spec');
}

export const deploymentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', READY_DESCRIPTION),
    col('Up-to-date', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE_COLUMN,
    ...templateColumns(),
  ],
  print: (d, ctx) => ({
    cells: [
      d.metadata.name,
      `${statusCount(d, 'readyReplicas')}/${desiredReplicas(d)}`,
      statusCount(d, 'updatedReplicas'),
      statusCount(d, 'availableReplicas'),
      objectAge(d, ctx.nowMs),
      ...containerCells(templateSpec(d)),
      // Deployments print the raw selector string, without the `<none>` substitution of the other kinds.
      labelSelectorString(at(d, 'spec', 'selector')),
    ],
  }),
};

export const replicaSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Desired', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset', { type: 'integer' }),
    col('Current', 'Replicas is the most recently observed number of non-terminating pods. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicaset', { type: 'integer' }),
    col('Ready', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', { type: 'integer' }),
    AGE_COLUMN,
    ...templateColumns(),
  ],
  print: (rs, ctx) => ({
    cells: [
      rs.metadata.name,
      desiredReplicas(rs),
      statusCount(rs, 'replicas'),
      statusCount(rs, 'readyReplicas'),
      objectAge(rs, ctx.nowMs),
      ...containerCells(templateSpec(rs)),
      formatLabelSelector(at(rs, 'spec', 'selector')),
    ],
  }),
};

export const statefulSetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', READY_DESCRIPTION),
    AGE_COLUMN,
    col('Containers', CONTAINERS_DESCRIPTION, { wide: true }),
    col('Images', IMAGES_DESCRIPTION, { wide: true }),
  ],
  print: (sts, ctx) => ({
    cells: [
      sts.metadata.name,
      `${statusCount(sts, 'readyReplicas')}/${desiredReplicas(sts)}`,
      objectAge(sts, ctx.nowMs),
      ...containerCells(templateSpec(sts)),
    ],
  }),
};

const DAEMON_SET_COLUMNS = [
  NAME_COLUMN,
  col('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', { type: 'integer' }),
  col('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/', { type: 'integer' }),
  col('Ready', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', { type: 'integer' }),
  col('Up-to-date', 'The total number of nodes that are running updated daemon pod', { type: 'integer' }),
  col('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', { type: 'integer' }),
  col('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
  AGE_COLUMN,
  ...templateColumns(),
];

export const daemonSetPrinter: Printer = {
  columns: DAEMON_SET_COLUMNS,
  print: (ds, ctx) => ({
    cells: [
      ds.metadata.name,
      statusCount(ds, 'desiredNumberScheduled'),
      statusCount(ds, 'currentNumberScheduled'),
      statusCount(ds, 'numberReady'),
      statusCount(ds, 'updatedNumberScheduled'),
      statusCount(ds, 'numberAvailable'),
      formatLabels(at(templateSpec(ds), 'nodeSelector')),
      objectAge(ds, ctx.nowMs),
      ...containerCells(templateSpec(ds)),
      formatLabelSelector(at(ds, 'spec', 'selector')),
    ],
  }),
};
