// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupCpuQuota, chooseMarking, usableCpus } from './gc-marking.ts';

const files = (map: Record<string, string>) => (path: string): string | undefined => map[path];

test('a cgroup v2 quota is read from cpu.max; "max" means none', () => {
  assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' })), 1.5);
  assert.equal(cgroupCpuQuota(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), undefined);
});

test('a cgroup v1 quota is the CFS quota over its period; -1 means none', () => {
  const v1 = (quota: string) => files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': `${quota}\n`, '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' });
  assert.equal(cgroupCpuQuota(v1('50000')), 0.5);
  assert.equal(cgroupCpuQuota(v1('-1')), undefined);
  assert.equal(cgroupCpuQuota(files({})), undefined, 'no cgroup files: no quota');
});

test('the usable CPUs are the affinity lowered by a quota', () => {
  assert.equal(usableCpus(2, undefined), 2);
  assert.equal(usableCpus(4, 1.5), 1.5);
  assert.equal(usableCpus(1, 8), 1);
});

test('concurrent marking only with two CPUs or more', () => {
  assert.deepEqual(chooseMarking(1), { cpus: 1, concurrent: false });
  assert.deepEqual(chooseMarking(1.5), { cpus: 1.5, concurrent: false });
  assert.deepEqual(chooseMarking(2), { cpus: 2, concurrent: true });
});
