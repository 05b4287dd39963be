// SPDX-License-Identifier: Apache-2.0
// HorizontalPodAutoscalers, PodDisruptionBudgets and RBAC bindings. Roles and ClusterRoles have no printer
// upstream and get the generic NAME / CREATED AT table.
import { objectAge } from './age.ts';
import { AGE_COLUMN, NAME_COLUMN, col } from './column-defs.ts';
import { at, intOrString, num, recs, str } from './fields.ts';
import { formatHpaTargets } from './hpa-targets.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { Printer, TableColumnDefinition } from './table-types.ts';

const HPA_COLUMNS = [
  NAME_COLUMN,
  col(
    'Reference',
    'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be ' +
      'collected, as well as to actually change the replica count.',
  ),
  col(
    'Targets',
    'metrics contains the specifications for which to use to calculate the desired replica count (the maximum ' +
      'replica count across all metrics will be used).  The desired replica count is calculated multiplying the ' +
      'ratio between the target value and the current value by the current number of pods.  Ergo, metrics used ' +
      'must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for ' +
      'more information about how each type of metric must respond.',
  ),
  col(
    'MinPods',
    'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It ' +
      'defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and ' +
      'at least one Object or External metric is configured.  Scaling is active as long as at least one metric ' +
      'value is available.',
  ),
  col(
    'MaxPods',
    'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot ' +
      'be less that minReplicas.',
  ),
  col(
    'Replicas',
    'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the ' +
      'autoscaler.',
  ),
  AGE_COLUMN,
];

export const hpaPrinter: Printer = {
  columns: HPA_COLUMNS,
  print: (hpa, ctx) => {
    const minReplicas = at(hpa, 'spec', 'minReplicas');
    return {
      cells: [
        hpa.metadata.name,
        `${str(at(hpa, 'spec', 'scaleTargetRef', 'kind'))}/${str(at(hpa, 'spec', 'scaleTargetRef', 'name'))}`,
        formatHpaTargets(hpa),
        typeof minReplicas === 'number' ? String(minReplicas) : '<unset>',
        num(at(hpa, 'spec', 'maxReplicas')),
        num(at(hpa, 'status', 'currentReplicas')),
        objectAge(hpa, ctx.nowMs),
      ],
    };
  },
};

export const pdbPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Min Available', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    AGE_COLUMN,
  ],
  print: (pdb, ctx) => ({
    cells: [
      pdb.metadata.name,
      intOrString(at(pdb, 'spec', 'minAvailable')) ?? 'N/A',
      intOrString(at(pdb, 'spec', 'maxUnavailable')) ?? 'N/A',
      num(at(pdb, 'status', 'disruptionsAllowed')),
      objectAge(pdb, ctx.nowMs),
    ],
  }),
};

/** `rbac.SubjectsStrings`: users and groups by name, service accounts as `namespace/name`. */
function subjectCells(binding: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of recs(binding['subjects'])) {
    const kind = str(s['kind']);
    if (kind === 'User') users.push(str(s['name']));
    else if (kind === 'Group') groups.push(str(s['name']));
    else if (kind === 'ServiceAccount') serviceAccounts.push(`${str(s['namespace'])}/${str(s['name'])}`);
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

function bindingColumns(kind: 'roleBinding' | 'clusterRoleBinding', roleDoc: string): TableColumnDefinition[] {
  return [
    NAME_COLUMN,
    col('Role', roleDoc),
    AGE_COLUMN,
    col('Users', `Users in the ${kind}`, { wide: true }),
    col('Groups', `Groups in the ${kind}`, { wide: true }),
    col('ServiceAccounts', `ServiceAccounts in the ${kind}`, { wide: true }),
  ];
}

function bindingPrinter(columns: TableColumnDefinition[]): Printer {
  return {
    columns,
    print: (b, ctx) => ({
      cells: [
        b.metadata.name,
        `${str(at(b, 'roleRef', 'kind'))}/${str(at(b, 'roleRef', 'name'))}`,
        objectAge(b, ctx.nowMs),
        ...subjectCells(b),
      ],
    }),
  };
}

export const roleBindingPrinter: Printer = bindingPrinter(
  bindingColumns(
    'roleBinding',
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the ' +
      'RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.',
  ),
);

export const clusterRoleBindingPrinter: Printer = bindingPrinter(
  bindingColumns(
    'clusterRoleBinding',
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the ' +
      'Authorizer must return an error. This field is immutable.',
  ),
);
