// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../domain/resources.ts';
import type { Job, ReplicaSet } from '../../domain/workload-resources.ts';
import { aPod, anObject } from '../../../test/fakes/builders.ts';
import { resolveWorkload, type OwnerLookup } from './ownership.ts';
import { projectPod } from './project-pod.ts';
import { projectJob, projectReplicaSet } from './project-workloads.ts';

function pod(o: Parameters<typeof aPod>[0]): Pod {
  const p = projectPod(aPod(o));
  assert.ok(p);
  return p;
}

function lookupOf(replicaSets: ReplicaSet[], jobs: Job[]): OwnerLookup {
  return {
    replicaSet: (ns, name) => replicaSets.find((r) => r.namespace === ns && r.name === name),
    job: (ns, name) => jobs.find((j) => j.namespace === ns && j.name === name),
  };
}

const rs = projectReplicaSet(anObject('ReplicaSet', { name: 'web-7d9f', owner: { kind: 'Deployment', name: 'web' } })) as ReplicaSet;
const orphanRs = projectReplicaSet(anObject('ReplicaSet', { name: 'standalone' })) as ReplicaSet;
const rolloutRs = projectReplicaSet(anObject('ReplicaSet', { name: 'canary-5c6b', owner: { kind: 'Rollout', name: 'canary' } })) as ReplicaSet;
const cronJob = projectJob(anObject('Job', { name: 'backup-29707814', owner: { kind: 'CronJob', name: 'backup' } })) as Job;
const plainJob = projectJob(anObject('Job', { name: 'migrate' })) as Job;
const lookup = lookupOf([rs, orphanRs, rolloutRs], [cronJob, plainJob]);

test('owner chains resolve to the top-level workload', () => {
  const cases: [Parameters<typeof aPod>[0], string][] = [
    [{ name: 'web-7d9f-x1', owner: { kind: 'ReplicaSet', name: 'web-7d9f' } }, 'Deployment/web'],
    [{ name: 'standalone-x1', owner: { kind: 'ReplicaSet', name: 'standalone' } }, 'ReplicaSet/standalone'],
    [{ name: 'canary-5c6b-x1', owner: { kind: 'ReplicaSet', name: 'canary-5c6b' } }, 'Rollout/canary'],
    [{ name: 'backup-29707814-abc', owner: { kind: 'Job', name: 'backup-29707814' } }, 'CronJob/backup'],
    [{ name: 'migrate-abc', owner: { kind: 'Job', name: 'migrate' } }, 'Job/migrate'],
    [{ name: 'db-0', owner: { kind: 'StatefulSet', name: 'db' } }, 'StatefulSet/db'],
    [{ name: 'agent-x', owner: { kind: 'DaemonSet', name: 'agent' } }, 'DaemonSet/agent'],
    [{ name: 'bare' }, 'Pod/bare'],
    [{ name: 'kube-apiserver-n1', owner: { kind: 'Node', name: 'n1' } }, 'Pod/kube-apiserver-n1'],
    [{ name: 'no-controller-flag', owner: { kind: 'StatefulSet', name: 'db', controller: false } }, 'StatefulSet/db'],
  ];
  for (const [options, want] of cases) {
    const w = resolveWorkload(pod(options), lookup);
    assert.equal(`${w.kind}/${w.name}`, want, options.name);
    assert.equal(w.namespace, 'default');
    assert.equal(w.resolved, true, options.name);
  }
});

test('missing links: a Deployment inferred from pod-template-hash, otherwise the nearest known owner', () => {
  const hashed = resolveWorkload(pod({ name: 'api-6f7c-x', labels: { 'pod-template-hash': '6f7c' }, owner: { kind: 'ReplicaSet', name: 'api-6f7c' } }), lookup);
  assert.deepEqual(hashed, { namespace: 'default', kind: 'Deployment', name: 'api', resolved: false });
  const unhashed = resolveWorkload(pod({ name: 'rs-x', owner: { kind: 'ReplicaSet', name: 'gone-rs' } }), lookup);
  assert.deepEqual(unhashed, { namespace: 'default', kind: 'ReplicaSet', name: 'gone-rs', resolved: false });
  const job = resolveWorkload(pod({ name: 'j-x', owner: { kind: 'Job', name: 'gone-job' } }), lookup);
  assert.deepEqual(job, { namespace: 'default', kind: 'Job', name: 'gone-job', resolved: false });
});

test('lookups stay within the pod namespace', () => {
  const elsewhere = resolveWorkload(pod({ name: 'web-7d9f-x1', namespace: 'other', owner: { kind: 'ReplicaSet', name: 'web-7d9f' } }), lookup);
  assert.deepEqual(elsewhere, { namespace: 'other', kind: 'ReplicaSet', name: 'web-7d9f', resolved: false });
});
