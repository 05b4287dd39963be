// SPDX-License-Identifier: Apache-2.0
// Which printer serves which resource, keyed like the object store (`plural.group`). Kinds upstream prints with
// the generic convertor (LimitRange, Role, ClusterRole, and here also the metrics.k8s.io kinds) are absent and get
// NAME / CREATED AT.
import { storeKeyOf } from '../../model/resource-types.ts';
import type { ResourceType } from '../../model/resource-types.ts';
import { cronJobPrinter, jobPrinter } from './columns-batch.ts';
import {
  configMapPrinter,
  defaultPrinter,
  leasePrinter,
  namespacePrinter,
  nodePrinter,
  resourceQuotaPrinter,
} from './columns-core.ts';
import { eventPrinter } from './columns-events.ts';
import { endpointSlicePrinter, endpointsPrinter, networkPolicyPrinter, servicePrinter } from './columns-network.ts';
import { podPrinter } from './columns-pods.ts';
import { clusterRoleBindingPrinter, hpaPrinter, pdbPrinter, roleBindingPrinter } from './columns-policy.ts';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './columns-storage.ts';
import { daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from './columns-workloads.ts';
import type { Printer } from './table-types.ts';

const PRINTERS: ReadonlyMap<string, Printer> = new Map<string, Printer>([
  ['pods', podPrinter],
  ['nodes', nodePrinter],
  ['namespaces', namespacePrinter],
  ['events', eventPrinter],
  ['events.events.k8s.io', eventPrinter],
  ['configmaps', configMapPrinter],
  ['resourcequotas', resourceQuotaPrinter],
  ['services', servicePrinter],
  ['endpoints', endpointsPrinter],
  ['persistentvolumes', persistentVolumePrinter],
  ['persistentvolumeclaims', persistentVolumeClaimPrinter],
  ['deployments.apps', deploymentPrinter],
  ['replicasets.apps', replicaSetPrinter],
  ['statefulsets.apps', statefulSetPrinter],
  ['daemonsets.apps', daemonSetPrinter],
  ['jobs.batch', jobPrinter],
  ['cronjobs.batch', cronJobPrinter],
  ['horizontalpodautoscalers.autoscaling', hpaPrinter],
  ['poddisruptionbudgets.policy', pdbPrinter],
  ['networkpolicies.networking.k8s.io', networkPolicyPrinter],
  ['endpointslices.discovery.k8s.io', endpointSlicePrinter],
  ['leases.coordination.k8s.io', leasePrinter],
  ['storageclasses.storage.k8s.io', storageClassPrinter],
  ['rolebindings.rbac.authorization.k8s.io', roleBindingPrinter],
  ['clusterrolebindings.rbac.authorization.k8s.io', clusterRoleBindingPrinter],
]);

/** The printer of a resource type; never undefined, as unknown kinds fall back to NAME / CREATED AT. */
export function printerFor(rt: ResourceType): Printer {
  return PRINTERS.get(storeKeyOf(rt)) ?? defaultPrinter;
}
