// SPDX-License-Identifier: Apache-2.0
// `krm sim history --families`: only the named families are written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHistory } from './history.ts';

test('writeHistory with families writes those families only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'krm-families-'));
  try {
    const output = join(dir, 'h.jsonl');
    const families = ['container_memory_working_set_bytes', 'kubelet_volume_stats_used_bytes'];
    const r = await writeHistory({ scenario: 'demo', days: 0.01, step: 300, format: 'jsonl', output, endMs: Date.UTC(2026, 0, 1), families });
    const metrics = new Set(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{"series"'))
        .map((l) => (JSON.parse(l) as { metric: string }).metric),
    );
    assert.deepEqual([...metrics].sort(), families);
    assert.ok(r.samples > 0 && r.series > 100, JSON.stringify(r));
    const all = await writeHistory({ scenario: 'demo', days: 0.01, step: 300, format: 'jsonl', output, endMs: Date.UTC(2026, 0, 1) });
    assert.ok(all.series > r.series * 2, `all families: ${all.series} series, two: ${r.series}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
