// SPDX-License-Identifier: Apache-2.0
// Projections of the kinds without a real capture in the fixtures, from objects shaped as the API serves them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anObject } from '../../../test/fakes/builders.ts';
import {
  projectEndpointSlice,
  projectEvent,
  projectLimitRange,
  projectNetworkPolicy,
  projectPersistentVolume,
  projectPersistentVolumeClaim,
  projectResourceQuota,
  projectService,
  projectStorageClass,
} from './project-cluster.ts';
import {
  projectCronJob,
  projectDaemonSet,
  projectDeployment,
  projectHorizontalPodAutoscaler,
  projectJob,
  projectPodDisruptionBudget,
  projectReplicaSet,
  projectStatefulSet,
} from './project-workloads.ts';
import { KIND_SPECS } from './projections.ts';
import { KIND_NAMES } from '../../domain/kube-ports.ts';

const GiB = 2 ** 30;

test('deployment: strategy, counts (omitted zeros), conditions, selector', () => {
  const d = projectDeployment(
    anObject('Deployment', {
      name: 'web',
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } }, progressDeadlineSeconds: 600 },
      status: { readyReplicas: 2, availableReplicas: 2, updatedReplicas: 3, replicas: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
    }),
  );
  assert.ok(d);
  assert.equal(d.replicas, 3);
  assert.equal(d.readyReplicas, 2);
  assert.equal(d.unavailableReplicas, 0);
  assert.equal(d.maxSurge, '25%');
  assert.equal(d.maxUnavailable, 0);
  assert.equal(d.progressDeadlineSeconds, 600);
  assert.deepEqual(d.selector, { matchLabels: { app: 'web' }, matchExpressions: [] });
  assert.equal(d.conditions[0]?.reason, 'ProgressDeadlineExceeded');
  const defaulted = projectDeployment(anObject('Deployment', { name: 'd', spec: {} }));
  assert.equal(defaulted?.replicas, 1, 'spec.replicas defaults to 1');
});

test('replicaset: revision annotation as a number, owner kept', () => {
  const rs = projectReplicaSet(
    anObject('ReplicaSet', { name: 'web-7d9f', owner: { kind: 'Deployment', name: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '4' }, spec: { replicas: 0 } }),
  );
  assert.equal(rs?.revision, 4);
  assert.equal(rs?.replicas, 0);
  assert.equal(rs?.owners[0]?.name, 'web');
});

test('statefulset and daemonset fields', () => {
  const sts = projectStatefulSet(
    anObject('StatefulSet', {
      name: 'db',
      spec: {
        replicas: 3,
        serviceName: 'db',
        podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } }],
      },
      status: { readyReplicas: 3, currentReplicas: 3 },
    }),
  );
  assert.equal(sts?.partition, 1);
  assert.deepEqual(sts?.volumeClaimTemplates, [{ name: 'data', requestedBytes: 10 * GiB, storageClassName: 'fast' }]);
  const ds = projectDaemonSet(anObject('DaemonSet', { name: 'agent', status: { desiredNumberScheduled: 5, numberReady: 4, numberUnavailable: 1 } }));
  assert.equal(ds?.desiredNumberScheduled, 5);
  assert.equal(ds?.numberReady, 4);
  assert.equal(ds?.numberMisscheduled, 0);
});

test('job and cronjob fields', () => {
  const job = projectJob(
    anObject('Job', {
      name: 'backup-29707814',
      owner: { kind: 'CronJob', name: 'backup' },
      spec: { completions: 1, backoffLimit: 6, activeDeadlineSeconds: 200 },
      status: { failed: 7, startTime: '2026-06-26T10:00:00Z', conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] },
    }),
  );
  assert.equal(job?.failed, 7);
  assert.equal(job?.succeeded, 0);
  assert.equal(job?.startedAtMs, Date.parse('2026-06-26T10:00:00Z'));
  assert.equal(job?.conditions[0]?.reason, 'BackoffLimitExceeded');
  const cj = projectCronJob(
    anObject('CronJob', { name: 'backup', spec: { schedule: '*/5 * * * *', suspend: true }, status: { active: [{ name: 'x' }], lastSuccessfulTime: '2026-06-26T10:05:00Z' } }),
  );
  assert.equal(cj?.schedule, '*/5 * * * *');
  assert.equal(cj?.suspend, true);
  assert.equal(cj?.active, 1);
  assert.equal(cj?.lastSuccessfulAtMs, Date.parse('2026-06-26T10:05:00Z'));
});

test('hpa: resource targets with units, defaults, conditions', () => {
  const hpa = projectHorizontalPodAutoscaler(
    anObject('HorizontalPodAutoscaler', {
      name: 'web',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'ContainerResource', containerResource: { name: 'memory', container: 'app', target: { type: 'AverageValue', averageValue: '512Mi' } } },
          { type: 'External', external: { metric: { name: 'queue' } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
      status: { currentReplicas: 10, desiredReplicas: 12, conditions: [{ type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas' }] },
    }),
  );
  assert.ok(hpa);
  assert.equal(hpa.minReplicas, 1);
  assert.deepEqual(hpa.scaleTargetRef, { kind: 'Deployment', name: 'web' });
  assert.equal(hpa.metrics[0]?.averageUtilization, 70);
  assert.equal(hpa.metrics[1]?.averageValue, 512 * 2 ** 20);
  assert.equal(hpa.metrics[1]?.container, 'app');
  assert.deepEqual(hpa.metrics[2], { type: 'External' });
  assert.equal(hpa.hasBehavior, true);
  assert.equal(hpa.conditions[0]?.type, 'ScalingLimited');
});

test('pdb and network policy', () => {
  const pdb = projectPodDisruptionBudget(
    anObject('PodDisruptionBudget', { name: 'web', spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 0, expectedPods: 2 } }),
  );
  assert.equal(pdb?.minAvailable, '50%');
  assert.equal(pdb?.maxUnavailable, undefined);
  assert.equal(pdb?.disruptionsAllowed, 0);
  const np = projectNetworkPolicy(anObject('NetworkPolicy', { name: 'deny', spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [] } }));
  assert.deepEqual(np?.podSelector, { matchLabels: {}, matchExpressions: [] });
  assert.deepEqual(np?.policyTypes, ['Ingress']);
  assert.equal(np?.ingressRules, 0);
});

test('quota and limit range: CPU in millicores, the rest plain', () => {
  const q = projectResourceQuota(
    anObject('ResourceQuota', { name: 'q', spec: { hard: { 'requests.cpu': '4', 'limits.memory': '8Gi', pods: '20' } }, status: { used: { 'requests.cpu': '1500m', 'limits.memory': '3Gi', pods: '7' } } }),
  );
  assert.deepEqual(q?.hard, { 'requests.cpu': 4000, 'limits.memory': 8 * GiB, pods: 20 });
  assert.deepEqual(q?.used, { 'requests.cpu': 1500, 'limits.memory': 3 * GiB, pods: 7 });
  const lr = projectLimitRange(
    anObject('LimitRange', { name: 'lr', spec: { limits: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '100m' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '4' } }] } }),
  );
  assert.deepEqual(lr?.limits[0], { type: 'Container', default: { cpu: 500, memory: 512 * 2 ** 20 }, defaultRequest: { cpu: 100 }, min: {}, max: { cpu: 2000 }, maxLimitRequestRatio: { cpu: 4000 } });
});

test('storage: PVC, PV, StorageClass', () => {
  const pvc = projectPersistentVolumeClaim(
    anObject('PersistentVolumeClaim', { name: 'data', spec: { storageClassName: 'fast', volumeName: 'pv-1', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } }, status: { phase: 'Bound', capacity: { storage: '10Gi' } } }),
  );
  assert.equal(pvc?.requestedBytes, 10 * GiB);
  assert.equal(pvc?.capacityBytes, 10 * GiB);
  assert.equal(pvc?.phase, 'Bound');
  const pv = projectPersistentVolume(
    anObject('PersistentVolume', { name: 'pv-1', namespace: '', spec: { capacity: { storage: '10Gi' }, claimRef: { namespace: 'default', name: 'data' }, persistentVolumeReclaimPolicy: 'Delete' }, status: { phase: 'Bound' } }),
  );
  assert.equal(pv?.key, 'pv-1');
  assert.deepEqual(pv?.claimRef, { namespace: 'default', name: 'data' });
  const sc = projectStorageClass(
    anObject('StorageClass', { name: 'fast', namespace: '', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true }),
  );
  assert.equal(sc?.isDefault, true);
  assert.equal(sc?.provisioner, 'ebs.csi.aws.com');
  assert.equal(sc?.allowVolumeExpansion, true);
});

test('service and endpoint slice: selector-less services, readiness of endpoints (unset means ready)', () => {
  assert.equal(projectService(anObject('Service', { name: 'manual', spec: { type: 'ClusterIP' } }))?.selector, undefined);
  assert.deepEqual(projectService(anObject('Service', { name: 'web', spec: { selector: { app: 'web' } } }))?.selector, { app: 'web' });
  const slice = projectEndpointSlice(
    anObject('EndpointSlice', {
      name: 'web-abc',
      labels: { 'kubernetes.io/service-name': 'web' },
      endpoints: [
        { addresses: ['10.0.0.1'], conditions: { ready: true }, nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } },
        { addresses: ['10.0.0.2'], conditions: { ready: false } },
        { addresses: ['10.0.0.3'], conditions: {} },
      ],
    }),
  );
  assert.equal(slice?.serviceName, 'web');
  assert.deepEqual([slice?.endpoints, slice?.readyEndpoints], [3, 2], 'an unset ready counts as ready');
});

test('event: legacy and events.k8s.io-style times, count from series, one dedupe key per occurrence stream', () => {
  const base = {
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    type: 'Warning',
    source: { component: 'kubelet' },
  };
  const legacy = projectEvent(anObject('Event', { name: 'web-1.a', ...base, count: 5, firstTimestamp: '2026-06-26T10:00:00Z', lastTimestamp: '2026-06-26T10:05:00Z' }));
  assert.equal(legacy?.count, 5);
  assert.equal(legacy?.firstSeenAtMs, Date.parse('2026-06-26T10:00:00Z'));
  assert.equal(legacy?.lastSeenAtMs, Date.parse('2026-06-26T10:05:00Z'));
  assert.equal(legacy?.reportingComponent, 'kubelet');
  assert.deepEqual(legacy?.subject, base.involvedObject);
  const modern = projectEvent(
    anObject('Event', { name: 'web-1.b', ...base, eventTime: '2026-06-26T10:06:00.000000Z', series: { count: 9, lastObservedTime: '2026-06-26T10:09:00.000000Z' }, reportingComponent: 'kubelet' }),
  );
  assert.equal(modern?.count, 9);
  assert.equal(modern?.firstSeenAtMs, Date.parse('2026-06-26T10:06:00Z'));
  assert.equal(modern?.lastSeenAtMs, Date.parse('2026-06-26T10:09:00Z'));
  assert.equal(modern?.dedupeKey, legacy?.dedupeKey, 'two Event objects of one occurrence stream');
  const other = projectEvent(anObject('Event', { name: 'web-1.c', ...base, reason: 'Killing' }));
  assert.notEqual(other?.dedupeKey, legacy?.dedupeKey);
  assert.equal(other?.count, 1);
});

test('every kind has a path and a projection that rejects nameless objects', () => {
  assert.equal(Object.keys(KIND_SPECS).length, KIND_NAMES.length);
  for (const kind of KIND_NAMES) {
    const spec = KIND_SPECS[kind];
    assert.match(spec.path, /^\/(api\/v1|apis\/[a-z0-9.]+\/v\w+)\/[a-z]+$/, kind);
    assert.equal(spec.project({ metadata: {} }), undefined, kind);
    assert.ok(spec.project({ metadata: { name: 'x', namespace: 'ns' } }), kind);
  }
  assert.equal(KIND_SPECS.networkpolicies.gatesReadiness, false);
});
