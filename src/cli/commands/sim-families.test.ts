// SPDX-License-Identifier: Apache-2.0
// `krm sim history --families`: the flag's parsing; an unknown name is a usage error (exit 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../errors/app-error.ts';
import { parseFamilies } from './sim.ts';

test('--families: a comma-separated list of known history families', () => {
  assert.equal(parseFamilies(undefined), undefined);
  assert.deepEqual(parseFamilies('container_memory_rss, kubelet_volume_stats_used_bytes'), ['container_memory_rss', 'kubelet_volume_stats_used_bytes']);
  assert.throws(() => parseFamilies('container_memory_rss,kube_pod_info'), (e: unknown) => e instanceof AppError && e.code === 'KRM_CONFIG_INVALID' && /kube_pod_info/.test(e.message));
  assert.throws(() => parseFamilies(' , '), /--families/);
});
