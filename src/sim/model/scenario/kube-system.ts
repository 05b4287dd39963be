// SPDX-License-Identifier: Apache-2.0
// The add-ons every cluster runs in kube-system, as their upstream manifests define them: CoreDNS (Deployment,
// system-cluster-critical), kube-proxy and the CNI agent (DaemonSets, system-node-critical, tolerating every taint)
// and metrics-server. Expressed as scenario workloads so they go through the same builder as user workloads.
import { workloadSchema, type WorkloadInput, type WorkloadTemplate } from './schema-workload.ts';
import type { Scenario } from './schema.ts';

const LINUX = { 'kubernetes.io/os': 'linux' };
const TOLERATE_ALL = [{ operator: 'Exists' as const }];

function coredns(replicas: number): WorkloadInput {
  return {
    name: 'coredns',
    kind: 'Deployment',
    replicas,
    labels: { 'k8s-app': 'kube-dns' },
    priorityClassName: 'system-cluster-critical',
    nodeSelector: LINUX,
    tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
    service: false,
    containers: [
      {
        name: 'coredns',
        image: 'registry.k8s.io/coredns/coredns:v1.13.1',
        args: ['-conf', '/etc/coredns/Corefile'],
        ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }],
        requests: { cpu: '100m', memory: '70Mi' },
        limits: { memory: '170Mi' },
        probes: { liveness: { path: '/health', port: 8080, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 }, readiness: { path: '/ready', port: 8181 } },
        usage: { kind: 'steady', cpu: { requestRatio: 0.05 }, memory: { requestRatio: 0.4 } },
        logs: 'web',
      },
    ],
  };
}

function kubeProxy(version: string): WorkloadInput {
  return {
    name: 'kube-proxy',
    kind: 'DaemonSet',
    labels: { 'k8s-app': 'kube-proxy' },
    priorityClassName: 'system-node-critical',
    nodeSelector: LINUX,
    tolerations: TOLERATE_ALL,
    containers: [
      {
        name: 'kube-proxy',
        image: `registry.k8s.io/kube-proxy:${version}`,
        command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
        requests: { cpu: '100m' },
        usage: { kind: 'steady', cpu: { cores: 0.004 }, memory: { bytes: 28 * 2 ** 20 } },
        logs: 'worker',
      },
    ],
  };
}

function cniAgent(cni: 'calico' | 'cilium'): WorkloadInput {
  const calico = cni === 'calico';
  return {
    name: calico ? 'calico-node' : 'cilium',
    kind: 'DaemonSet',
    labels: { 'k8s-app': calico ? 'calico-node' : 'cilium' },
    priorityClassName: 'system-node-critical',
    nodeSelector: LINUX,
    tolerations: TOLERATE_ALL,
    containers: [
      {
        name: calico ? 'calico-node' : 'cilium-agent',
        image: calico ? 'docker.io/calico/node:v3.29.3' : 'quay.io/cilium/cilium:v1.17.4',
        requests: calico ? { cpu: '250m' } : { cpu: '100m', memory: '10Mi' },
        probes: { liveness: { path: calico ? '/liveness' : '/healthz', port: calico ? 9099 : 9879, periodSeconds: 10, timeoutSeconds: 10, failureThreshold: 6 } },
        usage: { kind: 'steady', cpu: { cores: 0.03 }, memory: { bytes: 140 * 2 ** 20 } },
        logs: 'worker',
      },
    ],
  };
}

function metricsServer(): WorkloadInput {
  return {
    name: 'metrics-server',
    kind: 'Deployment',
    replicas: 1,
    labels: { 'k8s-app': 'metrics-server' },
    priorityClassName: 'system-cluster-critical',
    nodeSelector: LINUX,
    service: { type: 'ClusterIP', port: 443 },
    containers: [
      {
        name: 'metrics-server',
        image: 'registry.k8s.io/metrics-server/metrics-server:v0.8.0',
        args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s'],
        ports: [{ name: 'https', port: 10250, protocol: 'TCP' }],
        requests: { cpu: '100m', memory: '200Mi' },
        probes: { liveness: { path: '/livez', port: 10250 }, readiness: { path: '/readyz', port: 10250, initialDelaySeconds: 20 } },
        usage: { kind: 'steady', cpu: { requestRatio: 0.08 }, memory: { requestRatio: 0.25 } },
        logs: 'json-service',
      },
    ],
  };
}

/** The kube-system workloads the scenario's kubeSystem section asks for. */
export function kubeSystemWorkloads(s: Scenario): WorkloadTemplate[] {
  const ks = s.kubeSystem;
  const inputs: WorkloadInput[] = [];
  if (ks.corednsReplicas > 0) inputs.push(coredns(ks.corednsReplicas));
  if (ks.kubeProxy) inputs.push(kubeProxy(s.cluster.kubernetesVersion));
  if (ks.cni !== 'none') inputs.push(cniAgent(ks.cni));
  if (ks.metricsServer) inputs.push(metricsServer());
  return inputs.map((w) => workloadSchema.parse(w));
}
