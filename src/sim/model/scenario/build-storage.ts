// SPDX-License-Identifier: Apache-2.0
// StorageClasses, PersistentVolumeClaims and dynamically provisioned PersistentVolumes as the PV controller and a
// CSI external-provisioner leave them: the default class annotated, bound claims with bind-completed annotations,
// the pvc-protection finalizer and volumeName "pvc-<claim uid>", volumes pinned to the zone of the node that first
// mounted them (WaitForFirstConsumer). A claim naming a class that does not exist stays Pending and the PV
// controller keeps warning (ProvisioningFailed).
import type { PersistentVolume, PersistentVolumeClaim, StorageClass, StringMap } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { EventRecorder } from './events.ts';
import type { FailureScript } from './failures/types.ts';
import type { NodeRecord } from './node-record.ts';
import type { Rng } from './rng.ts';
import type { StorageClassSpec } from './schema.ts';
import type { VolumeClaimTemplate } from './schema-workload.ts';
import type { BuiltVolume } from './built-types.ts';
import { randomUuid } from '../uid.ts';
import { parseQuantity } from './quantity.ts';
import { iso } from './time.ts';

export function storageClassObject(sc: StorageClassSpec, createdMs: number): StorageClass {
  const metadata: StorageClass['metadata'] = { name: sc.name, creationTimestamp: iso(createdMs) };
  if (sc.default) metadata.annotations = { 'storageclass.kubernetes.io/is-default-class': 'true' };
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata, provisioner: sc.provisioner, reclaimPolicy: sc.reclaimPolicy, volumeBindingMode: sc.volumeBindingMode, allowVolumeExpansion: sc.allowVolumeExpansion };
}

export interface ClaimInput {
  namespace: string;
  name: string;
  template: VolumeClaimTemplate;
  labels?: StringMap;
  createdMs: number;
  /** Node of the first pod that mounted the claim. */
  node?: NodeRecord;
  pod?: string;
}

export interface StorageContext {
  store: ObjectStoreApi;
  classes: ReadonlyMap<string, StorageClassSpec>;
  defaultClass?: string;
  recorder: EventRecorder;
  scripts: FailureScript[];
  volumes: BuiltVolume[];
  rng: Rng;
  nowMs: number;
}

function claimObject(c: ClaimInput, b: { uid: string; sc: StorageClassSpec | undefined; className: string | undefined }): PersistentVolumeClaim {
  const { uid, sc, className } = b;
  const metadata: PersistentVolumeClaim['metadata'] = { name: c.name, namespace: c.namespace, uid, creationTimestamp: iso(c.createdMs) };
  if (c.labels) metadata.labels = c.labels;
  const spec: PersistentVolumeClaim['spec'] = { accessModes: c.template.accessModes, resources: { requests: { storage: c.template.storage } }, volumeMode: 'Filesystem' };
  if (className) spec.storageClassName = className;
  if (!sc) return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec, status: { phase: 'Pending' } };
  metadata.annotations = {
    'pv.kubernetes.io/bind-completed': 'yes',
    'pv.kubernetes.io/bound-by-controller': 'yes',
    'volume.beta.kubernetes.io/storage-provisioner': sc.provisioner,
    'volume.kubernetes.io/storage-provisioner': sc.provisioner,
    ...(c.node && sc.volumeBindingMode === 'WaitForFirstConsumer' ? { 'volume.kubernetes.io/selected-node': c.node.name } : {}),
  };
  metadata.finalizers = ['kubernetes.io/pvc-protection'];
  spec.volumeName = `pvc-${uid}`;
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata, spec, status: { accessModes: c.template.accessModes, capacity: { storage: c.template.storage }, phase: 'Bound' } };
}

function volumeObject(c: ClaimInput, b: { uid: string; sc: StorageClassSpec }, rng: Rng): PersistentVolume {
  const { uid, sc } = b;
  const spec: PersistentVolume['spec'] = {
    accessModes: c.template.accessModes,
    capacity: { storage: c.template.storage },
    claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: c.name, namespace: c.namespace, uid },
    csi: { driver: sc.provisioner, fsType: 'ext4', volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': `1700000000000-${rng.int(1000, 9999)}-${sc.provisioner}` }, volumeHandle: `vol-${rng.hex(17)}` },
    persistentVolumeReclaimPolicy: sc.reclaimPolicy,
    storageClassName: sc.name,
    volumeMode: 'Filesystem',
  };
  if (c.node) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [c.node.zone] }] }] } };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `pvc-${uid}`, creationTimestamp: iso(c.createdMs + 2000), annotations: { 'pv.kubernetes.io/provisioned-by': sc.provisioner, 'volume.kubernetes.io/provisioner-deletion-secret-name': '', 'volume.kubernetes.io/provisioner-deletion-secret-namespace': '' }, finalizers: ['external-provisioner.volume.kubernetes.io/finalizer', 'kubernetes.io/pv-protection'] },
    spec,
    status: { lastPhaseTransitionTime: iso(c.createdMs + 2000), phase: 'Bound' },
  };
}

function fillOf(t: VolumeClaimTemplate): { capacityBytes: number; initialUsedBytes: number; fillBytesPerHour: number } {
  const capacityBytes = parseQuantity(t.storage);
  const initialUsedBytes = (capacityBytes * t.usedPercent) / 100;
  const fillBytesPerHour = t.fullInHours ? (capacityBytes - initialUsedBytes) / t.fullInHours : (capacityBytes * 0.01) / 24;
  return { capacityBytes, initialUsedBytes, fillBytesPerHour };
}

function recordProvisioningFailed(ctx: StorageContext, pvc: PersistentVolumeClaim, c: { className: string | undefined; createdMs: number }): void {
  const { className, createdMs } = c;
  const message = className ? `storageclass.storage.k8s.io "${className}" not found` : 'no persistent volumes available for this claim and no storage class is set';
  const reason = className ? 'ProvisioningFailed' : 'FailedBinding';
  const periodMs = 15_000;
  const count = 1 + Math.floor((ctx.nowMs - createdMs) / periodMs);
  const event = { involved: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: pvc.metadata.name, namespace: pvc.metadata.namespace, uid: pvc.metadata.uid }, reason, message, type: 'Warning' as const, component: 'persistentvolume-controller' };
  const atMs = createdMs + (count - 1) * periodMs;
  ctx.recorder.record({ ...event, firstMs: createdMs, atMs, count });
  ctx.scripts.push({ kind: 'recurring-event', event: { ...event, atMs }, periodMs, lastMs: atMs });
}

/** Stores one claim (and its volume when it can bind); registers bound volumes for the usage model. */
export function createClaim(ctx: StorageContext, c: ClaimInput): PersistentVolumeClaim {
  const className = c.template.storageClass ?? ctx.defaultClass;
  const sc = className ? ctx.classes.get(className) : undefined;
  const uid = randomUuid(() => ctx.rng.float());
  const pvc = ctx.store.create(claimObject(c, { uid, sc, className }));
  if (!sc) {
    recordProvisioningFailed(ctx, pvc, { className, createdMs: c.createdMs });
    return pvc;
  }
  ctx.store.create(volumeObject(c, { uid, sc }, ctx.rng));
  ctx.volumes.push({ namespace: c.namespace, claim: c.name, ...fillOf(c.template), ...(c.pod ? { pod: c.pod } : {}), ...(c.node ? { node: c.node.name } : {}) });
  return pvc;
}
