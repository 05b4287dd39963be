// SPDX-License-Identifier: Apache-2.0
// Services with their Endpoints and EndpointSlices as the endpoints controllers maintain them: ready pods in
// `addresses`, unready ones in `notReadyAddresses`; Endpoints truncated at 1000 addresses (with the over-capacity
// annotation, as since 1.22), EndpointSlices of at most 100 endpoints each with ready/serving/terminating
// conditions, nodeName and zone. StatefulSets get a headless Service.
import type { EndpointAddress, Endpoints, EndpointSlice, Pod, Service, StringMap } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { NodeRecord } from './node-record.ts';
import type { Rng } from './rng.ts';
import { iso } from './time.ts';

export interface ServicePort {
  name?: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP';
}

export interface ServiceInput {
  name: string;
  namespace: string;
  createdMs: number;
  labels: StringMap;
  selector: StringMap;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  headless: boolean;
  ports: ServicePort[];
  /** Pods backing the service, with readiness and node. */
  backends: { pod: Pod; ready: boolean; node?: NodeRecord; ref?: NonNullable<EndpointAddress['targetRef']> }[];
  clusterIP?: string;
}

const MAX_ENDPOINTS = 1000;
const MAX_PER_SLICE = 100;

/** Random, unique ClusterIPs from 10.96.0.0/12 (the first addresses are the kubernetes and kube-dns Services). */
export class ClusterIpAllocator {
  private readonly used = new Set<string>(['10.96.0.1', '10.96.0.10']);
  constructor(private readonly rng: Rng) {}

  next(): string {
    for (;;) {
      const n = this.rng.int(256, (1 << 20) - 2);
      const ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      if ((n & 255) !== 0 && !this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
  }
}

function serviceObject(s: ServiceInput, ip: string, rng: Rng): Service {
  const ports = s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol, targetPort: p.targetPort, ...(s.type !== 'ClusterIP' ? { nodePort: rng.int(30000, 32767) } : {}) }));
  const spec: Service['spec'] = { clusterIP: ip, clusterIPs: [ip], internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports, selector: s.selector, sessionAffinity: 'None', type: s.type };
  if (s.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts = true;
  if (s.type !== 'ClusterIP') spec.externalTrafficPolicy = 'Cluster';
  const status: Service['status'] = { loadBalancer: s.type === 'LoadBalancer' ? { ingress: [{ ip: `203.0.113.${rng.int(2, 254)}`, ipMode: 'VIP' }] } : {} };
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace, creationTimestamp: iso(s.createdMs), labels: s.labels }, spec, status };
}

type Backend = ServiceInput['backends'][number] & { ref: NonNullable<EndpointAddress['targetRef']> };

/** Backends with a pod IP, each with one pod reference shared by its Endpoints address and slice endpoint. */
function placedBackends(s: ServiceInput): Backend[] {
  const out: Backend[] = [];
  for (const b of s.backends) {
    const pod = b.pod;
    if (!pod.status.podIP) continue;
    b.ref = { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid };
    out.push(b as Backend);
  }
  return out;
}

const READY = Object.freeze({ ready: true, serving: true, terminating: false });
const NOT_READY = Object.freeze({ ready: false, serving: false, terminating: false });

function address(b: Backend): EndpointAddress {
  const a: EndpointAddress = { ip: b.pod.status.podIP ?? '' };
  if (b.node) a.nodeName = b.node.name;
  a.targetRef = b.ref;
  return a;
}

function endpointsObject(s: ServiceInput, placed: readonly Backend[], lastChangeMs: number): Endpoints {
  const truncated = placed.length > MAX_ENDPOINTS;
  const kept = placed.slice(0, MAX_ENDPOINTS);
  const ready = kept.filter((b) => b.ready).map(address);
  const notReady = kept.filter((b) => !b.ready).map(address);
  const annotations: StringMap = { 'endpoints.kubernetes.io/last-change-trigger-time': iso(lastChangeMs) };
  if (truncated) annotations['endpoints.kubernetes.io/over-capacity'] = 'truncated';
  const ep: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: s.name, namespace: s.namespace, creationTimestamp: iso(s.createdMs), labels: s.labels, annotations } };
  if (kept.length) {
    ep.subsets = [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.targetPort, protocol: p.protocol })) }];
  }
  return ep;
}

function sliceObjects(s: ServiceInput, placed: readonly Backend[], ctx: { svc: Service; rng: Rng }): EndpointSlice[] {
  const { svc, rng } = ctx;
  const slices: EndpointSlice[] = [];
  for (let i = 0; i === 0 || i < placed.length; i += MAX_PER_SLICE) {
    const endpoints = placed.slice(i, i + MAX_PER_SLICE).map((b) => ({
      addresses: [b.pod.status.podIP ?? ''],
      conditions: b.ready ? READY : NOT_READY,
      ...(b.node ? { nodeName: b.node.name } : {}),
      targetRef: b.ref,
      ...(b.node ? { zone: b.node.zone } : {}),
    }));
    slices.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${s.name}-${rng.suffix()}`,
        generateName: `${s.name}-`,
        namespace: s.namespace,
        creationTimestamp: iso(s.createdMs),
        labels: { ...s.labels, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': s.name },
        ownerReferences: [{ apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Service', name: s.name, uid: svc.metadata.uid ?? '' }],
      },
      addressType: 'IPv4',
      endpoints,
      ports: s.ports.map((p) => ({ name: p.name ?? '', port: p.targetPort, protocol: p.protocol })),
    });
  }
  return slices;
}

/** Stores a Service with its Endpoints and EndpointSlices. */
export function createService(store: ObjectStoreApi, s: ServiceInput, ctx: { ips: ClusterIpAllocator; rng: Rng; nowMs: number }): Service {
  const ip = s.headless ? 'None' : (s.clusterIP ?? ctx.ips.next());
  const svc = store.create(serviceObject(s, ip, ctx.rng));
  const placed = placedBackends(s);
  store.create(endpointsObject(s, placed, Math.min(ctx.nowMs, s.createdMs + 30_000)));
  for (const slice of sliceObjects(s, placed, { svc, rng: ctx.rng }).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) store.create(slice);
  return svc;
}
