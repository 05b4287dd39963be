// SPDX-License-Identifier: Apache-2.0
// The in-cluster manifests, rendered by the real kubectl's kustomize: RBAC grants read access to exactly the kinds
// the monitor watches (and nothing secret), the only write is the monitor's own Lease, the probes and port are the
// service's, and the shipped configuration passes the real config loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/load.ts';
import { KIND_SPECS } from '../../src/sources/kube/projections.ts';
import { kubectlPath, repoRoot } from '../support/tools.ts';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs?: string[];
}

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

function render(dir: string): Manifest[] {
  const out = execFileSync(kubectlPath(), ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS() as Manifest);
}

const base = join(repoRoot, 'deploy', 'kubernetes');

/** (group, resource) pairs of the watched kinds, from the paths the watch loops request. */
function watchedResources(): Array<[string, string]> {
  return Object.values(KIND_SPECS).map((spec) => {
    const core = /^\/api\/v1\/([a-z]+)$/.exec(spec.path);
    if (core) return ['', core[1] as string];
    const grouped = /^\/apis\/([^/]+)\/[^/]+\/([a-z]+)$/.exec(spec.path);
    assert.ok(grouped, spec.path);
    return [grouped[1] as string, grouped[2] as string];
  });
}

function allows(rules: readonly Rule[], [group, resource, verb]: [string, string, string]): boolean {
  return rules.some((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && r.verbs?.includes(verb) && r.resourceNames === undefined);
}

test('the ClusterRole lets the monitor list and watch every kind it watches, and metrics.k8s.io', () => {
  const role = render(base).find((m) => m.kind === 'ClusterRole');
  assert.ok(role?.rules);
  for (const [group, resource] of watchedResources()) {
    for (const verb of ['get', 'list', 'watch']) assert.ok(allows(role.rules, [group, resource, verb]), `${verb} ${group}/${resource}`);
  }
  assert.ok(allows(role.rules, ['metrics.k8s.io', 'pods', 'list']));
  assert.ok(allows(role.rules, ['metrics.k8s.io', 'nodes', 'list']));
});

test('no rule reads Secrets or ConfigMaps, and the only writes are to the monitor\'s own Lease', () => {
  const manifests = render(base);
  const rules = manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'Role').flatMap((m) => m.rules ?? []);
  assert.ok(rules.length > 0);
  const readVerbs = new Set(['get', 'list', 'watch']);
  for (const rule of rules) {
    assert.ok(!rule.resources?.some((r) => r === 'secrets' || r === 'configmaps' || r === '*'), JSON.stringify(rule));
    assert.ok(!rule.verbs?.includes('*'), JSON.stringify(rule));
    const writes = (rule.verbs ?? []).filter((v) => !readVerbs.has(v));
    if (writes.length > 0) assert.deepEqual(rule.resources, ['leases'], JSON.stringify(rule));
  }
  // Every write rule sits in a namespaced Role, so the Lease permission does not reach other namespaces.
  const clusterRules = manifests.filter((m) => m.kind === 'ClusterRole').flatMap((m) => m.rules ?? []);
  assert.ok(clusterRules.every((r) => (r.verbs ?? []).every((v) => readVerbs.has(v))));
});

test('the Deployment probes the service\'s health routes on its port, with the history on the data volume', () => {
  const manifests = render(base);
  const deployment = manifests.find((m) => m.kind === 'Deployment');
  const text = JSON.stringify(deployment);
  assert.match(text, /"path":"\/health\/liveness"/);
  assert.match(text, /"path":"\/health\/readiness"/);
  assert.match(text, /"containerPort":8000/);
  assert.match(text, /"mountPath":"\/app\/data"/);
  assert.match(text, /"readOnlyRootFilesystem":true/);
  assert.equal((deployment?.spec?.strategy as { type?: string } | undefined)?.type, 'Recreate');
  assert.ok(manifests.every((m) => m.kind === 'Namespace' || m.kind.startsWith('Cluster') || m.metadata.namespace === 'kube-resource-monitor'));
  assert.ok(!manifests.some((m) => m.kind === 'Service' && m.metadata.name === 'krm'), 'a Service named krm injects KRM_PORT');
});

/** An overlay of the base with the kubelet-fallback component, as a user would write it. */
function withKubeletComponent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'krm-overlay-'));
  const kustomization = ['resources:', `  - ${relative(dir, base)}`, 'components:', `  - ${relative(dir, join(base, 'components', 'kubelet-fallback'))}`, ''];
  writeFileSync(join(dir, 'kustomization.yaml'), kustomization.join('\n'));
  return dir;
}

test('the shipped krm.yaml (base and with the kubelet component) passes the config loader', () => {
  const overlay = withKubeletComponent();
  try {
    for (const [dir, fallback] of [[base, false], [overlay, true]] as const) {
      const configMap = render(dir).find((m) => m.kind === 'ConfigMap');
      const yamlText = configMap?.data?.['krm.yaml'];
      assert.ok(yamlText);
      const config = loadConfig({ env: { KRM_CONFIG: '/app/config/krm.yaml' }, cwd: '/app', readFile: (p) => (p === '/app/config/krm.yaml' ? yamlText : undefined) });
      assert.equal(config.store.path, '/app/data/k8s_metrics.db');
      assert.equal(config.server.port, 8000);
      assert.equal(config.collection.kubeletFallback, fallback);
    }
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
});

test('nodes/proxy is granted only by the kubelet-fallback component', () => {
  const grants = (ms: Manifest[]): boolean => ms.some((m) => m.kind === 'ClusterRole' && allows(m.rules ?? [], ['', 'nodes/proxy', 'get']));
  assert.equal(grants(render(base)), false);
  const overlay = withKubeletComponent();
  try {
    assert.equal(grants(render(overlay)), true);
  } finally {
    rmSync(overlay, { recursive: true, force: true });
  }
});
