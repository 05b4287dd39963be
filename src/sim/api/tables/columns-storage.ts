// SPDX-License-Identifier: Apache-2.0
// PersistentVolumes, PersistentVolumeClaims and StorageClasses (with the VOLUMEATTRIBUTESCLASS column of 1.29+).
import { objectAge } from './age.ts';
import { AGE_COLUMN, NAME_COLUMN, col } from './column-defs.ts';
import { at, str } from './fields.ts';
import { accessModesString, quantity } from './format.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { Printer } from './table-types.ts';

const UNSET = '<unset>';
// Deprecated annotation that still wins over spec.storageClassName on volumes and claims.
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

function storageClassOf(obj: KubeObject): string {
  const annotated = obj.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION];
  return annotated ?? str(at(obj, 'spec', 'storageClassName'));
}

function orUnset(v: unknown): string {
  const s = str(v);
  return s === '' ? UNSET : s;
}

function phaseOf(obj: KubeObject): string {
  return obj.metadata.deletionTimestamp !== undefined ? 'Terminating' : str(at(obj, 'status', 'phase'));
}

const PV_COLUMNS = [
  NAME_COLUMN,
  col('Capacity', "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity"),
  col('Access Modes', 'accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes'),
  col('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming'),
  col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase'),
  col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding'),
  col('StorageClass', 'StorageClass of the pv'),
  col('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
  col('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
  AGE_COLUMN,
  col('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.', { wide: true }),
];

function claimRef(pv: KubeObject): string {
  const ref = at(pv, 'spec', 'claimRef');
  return ref === undefined || ref === null ? '' : `${str(at(ref, 'namespace'))}/${str(at(ref, 'name'))}`;
}

export const persistentVolumePrinter: Printer = {
  columns: PV_COLUMNS,
  print: (pv, ctx) => ({
    cells: [
      pv.metadata.name,
      quantity(at(pv, 'spec', 'capacity', 'storage')),
      accessModesString(at(pv, 'spec', 'accessModes')),
      str(at(pv, 'spec', 'persistentVolumeReclaimPolicy')),
      phaseOf(pv),
      claimRef(pv),
      storageClassOf(pv),
      orUnset(at(pv, 'spec', 'volumeAttributesClassName')),
      str(at(pv, 'status', 'reason')),
      objectAge(pv, ctx.nowMs),
      orUnset(at(pv, 'spec', 'volumeMode')),
    ],
  }),
};

const PVC_COLUMNS = [
  NAME_COLUMN,
  col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
  col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
  col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
  col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1'),
  col('StorageClass', 'StorageClass of the pvc'),
  col('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
  AGE_COLUMN,
  col('VolumeMode', 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.', { wide: true }),
];

/** Capacity and access modes come from status, and only once the claim names its volume. */
function boundCells(pvc: KubeObject): [string, string] {
  if (str(at(pvc, 'spec', 'volumeName')) === '') return ['', ''];
  return [quantity(at(pvc, 'status', 'capacity', 'storage')), accessModesString(at(pvc, 'status', 'accessModes'))];
}

export const persistentVolumeClaimPrinter: Printer = {
  columns: PVC_COLUMNS,
  print: (pvc, ctx) => ({
    cells: [
      pvc.metadata.name,
      phaseOf(pvc),
      str(at(pvc, 'spec', 'volumeName')),
      ...boundCells(pvc),
      storageClassOf(pvc),
      orUnset(at(pvc, 'spec', 'volumeAttributesClassName')),
      objectAge(pvc, ctx.nowMs),
      orUnset(at(pvc, 'spec', 'volumeMode')),
    ],
  }),
};

const STORAGE_CLASS_COLUMNS = [
  NAME_COLUMN,
  col('Provisioner', 'provisioner indicates the type of the provisioner.'),
  col('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.'),
  col('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.'),
  col('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
  AGE_COLUMN,
];

function isDefaultClass(sc: KubeObject): boolean {
  return DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata.annotations?.[a] === 'true');
}

export const storageClassPrinter: Printer = {
  columns: STORAGE_CLASS_COLUMNS,
  print: (sc, ctx) => ({
    cells: [
      isDefaultClass(sc) ? `${sc.metadata.name} (default)` : sc.metadata.name,
      str(sc['provisioner']),
      str(sc['reclaimPolicy']) || 'Delete',
      str(sc['volumeBindingMode']) || 'Immediate',
      // A JSON boolean in a "string" column, exactly as upstream appends the Go bool.
      sc['allowVolumeExpansion'] === true,
      objectAge(sc, ctx.nowMs),
    ],
  }),
};
