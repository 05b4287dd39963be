// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupCpuQuota, chooseMarking, explicitMarking, usableCpus } from './gc-marking.ts';

const files = (map: Record<string, string>) => (path: string): string | undefined => map[path];

test('a cgroup v2 quota is read from cpu.max; "max" means none', () => {
  assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '150000 100000\n' })), 1.5);
  assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), undefined);
});

test('the tightest quota over the process cgroup and its parents counts (a systemd CPUQuota, a limit on a parent)', () => {
  const proc = '0::/system.slice/krm.service\n';
  assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': proc, '/sys/fs/cgroup/system.slice/krm.service/cpu.max': '100000 100000', '/sys/fs/cgroup/cpu.max': 'max 100000' })), 1);
  assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': proc, '/sys/fs/cgroup/system.slice/krm.service/cpu.max': 'max 100000', '/sys/fs/cgroup/system.slice/cpu.max': '50000 100000' })), 0.5);
});

test('a cgroup v1 quota is the CFS quota over its period, at the cpu controller\'s path; -1 means none', () => {
  const v1 = (quota: string) => files({ '/proc/self/cgroup': '4:memory:/x\n1:cpu,cpuacct:/kubepods/pod1\n', '/sys/fs/cgroup/cpu/kubepods/pod1/cpu.cfs_quota_us': `${quota}\n`, '/sys/fs/cgroup/cpu/kubepods/pod1/cpu.cfs_period_us': '100000\n' });
  assert.equal(cgroupCpuQuota(v1('50000')), 0.5);
  assert.equal(cgroupCpuQuota(v1('-1')), undefined);
  assert.equal(cgroupCpuQuota(files({})), undefined, 'no cgroup files: no quota');
});

test('the usable CPUs are the affinity lowered by a quota', () => {
  assert.equal(usableCpus(2, undefined), 2);
  assert.equal(usableCpus(4, 1.5), 1.5);
  assert.equal(usableCpus(1, 8), 1);
});

test('concurrent marking only with two CPUs or more, unless a flag given by hand says otherwise', () => {
  assert.deepEqual(chooseMarking(1), { cpus: 1, concurrent: false, by: 'cpus' });
  assert.deepEqual(chooseMarking(1.5), { cpus: 1.5, concurrent: false, by: 'cpus' });
  assert.deepEqual(chooseMarking(2), { cpus: 2, concurrent: true, by: 'cpus' });
  assert.deepEqual(chooseMarking(4, false), { cpus: 4, concurrent: false, by: 'flag' });
  assert.deepEqual(chooseMarking(1, true), { cpus: 1, concurrent: true, by: 'flag' });
});

test('the flag given by hand is read from the command line and NODE_OPTIONS, the last one winning', () => {
  assert.equal(explicitMarking(['--max-semi-space-size=32'], undefined), undefined);
  assert.equal(explicitMarking(['--no-concurrent-marking'], undefined), false);
  assert.equal(explicitMarking([], '--max-old-space-size=4096 --no_concurrent_marking'), false);
  assert.equal(explicitMarking(['--concurrent-marking'], '--no-concurrent-marking'), true, 'the command line comes after NODE_OPTIONS');
});
