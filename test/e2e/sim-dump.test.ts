// SPDX-License-Identifier: Apache-2.0
// `krm sim --from-dump`: a real cluster's `kubectl get -o json` output is served as it is and driven by the usage
// model, so kubectl sees the same objects and `top` shows usage for them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, writeKubeconfig } from '../support/kubectl.ts';
import { startSimProcess, type SimProcess } from '../support/sim-process.ts';
import { repoRoot } from '../support/tools.ts';

// Real API output of a Kubernetes 1.35 test cluster (Apache-2.0, see the README beside it).
const DUMP = join(repoRoot, 'src/sim/model/scenario/testdata/kube-real-1_35-excerpt.json');

let sim: SimProcess;
let kc: string;

before(async () => {
  sim = await startSimProcess(['--from-dump', DUMP, '--port', '0']);
  kc = writeKubeconfig({ server: sim.url });
});

after(async () => {
  await sim.stop();
});

test('the dump\'s nodes and pods are served with their names, uids and statuses', async () => {
  const dump = JSON.parse(readFileSync(DUMP, 'utf8')) as { items: { kind: string; metadata: { name: string; namespace?: string; uid: string } }[] };
  const pods = dump.items.filter((i) => i.kind === 'Pod');
  const r = await kubectl(kc, ['get', 'pods', '-A', '-o', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const served = (JSON.parse(r.stdout) as { items: { metadata: { name: string; uid: string } }[] }).items;
  for (const p of pods) assert.ok(served.some((s) => s.metadata.name === p.metadata.name && s.metadata.uid === p.metadata.uid), p.metadata.name);
  const nodes = await kubectl(kc, ['get', 'nodes']);
  assert.equal(nodes.code, 0, nodes.stderr);
  assert.match(nodes.stdout, /datagen-1-35\s+Ready/);
});

test('the dump\'s running pods get usage from the usage model', async () => {
  const top = await kubectl(kc, ['top', 'pods', '-A']);
  assert.equal(top.code, 0, top.stderr);
  assert.ok(top.stdout.trim().split('\n').length >= 3, top.stdout);
});

test('an unreadable dump stops the command with exit code 2 and names the file', async () => {
  await assert.rejects(startSimProcess(['--from-dump', '/nonexistent/dump.json', '--port', '0'], 30_000), /exited with 2[\s\S]*cannot read the cluster dump \/nonexistent\/dump.json/);
});
