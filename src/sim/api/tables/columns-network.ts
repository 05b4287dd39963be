// SPDX-License-Identifier: Apache-2.0
// Services, Endpoints, EndpointSlices and NetworkPolicies.
import { objectAge } from './age.ts';
import { AGE_COLUMN, NAME_COLUMN, col } from './column-defs.ts';
import { at, num, recs, str, strs } from './fields.ts';
import { formatLabelSelector, formatLabels, listWithMore } from './format.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { Printer } from './table-types.ts';

const NONE = '<none>';
const MAX_ENDPOINTS = 3;

const SERVICE_COLUMNS = [
  NAME_COLUMN,
  col(
    'Type',
    'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, ' +
      'NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to ' +
      'endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of ' +
      'an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the ' +
      'endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and ' +
      'allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds ' +
      'on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the ' +
      'same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. ' +
      'Several other fields do not apply to ExternalName services. More info: ' +
      'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
  ),
  col(
    'Cluster-IP',
    'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified ' +
      'manually, is in-range (as per system configuration), and is not in use, it will be allocated to the ' +
      'service; otherwise creation of the service will fail. This field may not be changed through updates unless ' +
      'the type field is also being changed to ExternalName (which requires this field to be blank) or the type ' +
      'field is being changed from ExternalName (in which case this field may optionally be specified, as ' +
      'describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to ' +
      '"None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are ' +
      'preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If ' +
      'this field is specified when creating a Service of type ExternalName, creation will fail. This field will ' +
      'be wiped when updating a Service to type ExternalName. More info: ' +
      'https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  ),
  col(
    'External-IP',
    'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this ' +
      'service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic ' +
      'arrives at a node with this IP.  A common example is external load-balancers that are not part of the ' +
      'Kubernetes system.',
  ),
  col(
    'Port(s)',
    'The list of ports that are exposed by this service. More info: ' +
      'https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies',
  ),
  AGE_COLUMN,
  col(
    'Selector',
    'Route service traffic to pods with label keys and values matching this selector. If empty or not present, ' +
      'the service is assumed to have an external process managing its endpoints, which Kubernetes will not ' +
      'modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More ' +
      'info: https://kubernetes.io/docs/concepts/services-networking/service/',
    { wide: true },
  ),
];

function loadBalancerAddresses(svc: KubeObject): string[] {
  const found = recs(at(svc, 'status', 'loadBalancer', 'ingress'))
    .map((i) => (str(i['ip']) !== '' ? str(i['ip']) : str(i['hostname'])))
    .filter((a) => a !== '');
  return [...new Set(found)].sort();
}

/**
 * EXTERNAL-IP by service type. The server prints with Wide=true, so load balancer addresses are never clipped
 * to 16 characters here (only kubectl's client-side printer did that).
 */
function serviceExternalIP(svc: KubeObject): string {
  const externalIPs = strs(at(svc, 'spec', 'externalIPs'));
  switch (str(at(svc, 'spec', 'type')) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : NONE;
    case 'LoadBalancer': {
      const all = [...loadBalancerAddresses(svc), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(at(svc, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

function servicePorts(svc: KubeObject): string {
  const ports = recs(at(svc, 'spec', 'ports')).map((p) => {
    const protocol = str(p['protocol']) || 'TCP';
    const nodePort = num(p['nodePort']);
    return nodePort > 0 ? `${num(p['port'])}:${nodePort}/${protocol}` : `${num(p['port'])}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : NONE;
}

function clusterIP(svc: KubeObject): string {
  // The internal type only has clusterIPs; conversion from v1 fills it from clusterIP.
  const first = strs(at(svc, 'spec', 'clusterIPs'))[0] ?? str(at(svc, 'spec', 'clusterIP'));
  return first === '' ? NONE : first;
}

export const servicePrinter: Printer = {
  columns: SERVICE_COLUMNS,
  print: (svc, ctx) => ({
    cells: [
      svc.metadata.name,
      str(at(svc, 'spec', 'type')) || 'ClusterIP',
      clusterIP(svc),
      serviceExternalIP(svc),
      servicePorts(svc),
      objectAge(svc, ctx.nowMs),
      formatLabels(at(svc, 'spec', 'selector')),
    ],
  }),
};

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `10.244.0.5:8080,10.244.0.6:8080 + 3 more...`; headless subsets without ports list bare addresses. */
function formatEndpoints(ep: KubeObject): string {
  const subsets = recs(ep['subsets']);
  if (subsets.length === 0) return NONE;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const ips = recs(ss['addresses']).map((a) => str(a['ip']));
    const ports = recs(ss['ports']);
    if (ports.length === 0) {
      count += ips.length;
      list.push(...ips);
      continue;
    }
    for (const port of ports) {
      count += ips.length;
      list.push(...ips.map((ip) => hostPort(ip, num(port['port']))));
    }
  }
  return listWithMore(list, count, MAX_ENDPOINTS);
}

export const endpointsPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col(
      'Endpoints',
      'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the ' +
        'IPs they share. A single address with multiple ports, some of which are ready and some of which are not ' +
        '(because they come from different containers) will result in the address being displayed in different ' +
        'subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the ' +
        'same subset. Sets of addresses and ports that comprise a service.',
    ),
    AGE_COLUMN,
  ],
  print: (ep, ctx) => ({ cells: [ep.metadata.name, formatEndpoints(ep), objectAge(ep, ctx.nowMs)] }),
};

function orUnset(list: string[], total: number): string {
  const text = listWithMore(list, total, MAX_ENDPOINTS);
  return text === '' ? '<unset>' : text;
}

function slicePorts(slice: KubeObject): string {
  const ports = recs(slice['ports']).map((p) => {
    if (typeof p['port'] === 'number') return String(p['port']);
    return typeof p['name'] === 'string' ? p['name'] : '*';
  });
  return orUnset(ports, ports.length);
}

function sliceEndpoints(slice: KubeObject): string {
  const addresses = recs(slice['endpoints']).flatMap((e) => strs(e['addresses']));
  return orUnset(addresses, addresses.length);
}

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col(
      'AddressType',
      'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must ' +
        'be the same type. This field is immutable after creation. The following address types are currently ' +
        'supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a ' +
        'Fully Qualified Domain Name.',
    ),
    col(
      'Ports',
      'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a ' +
        'unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined ' +
        'with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
    ),
    col(
      'Endpoints',
      'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
    ),
    AGE_COLUMN,
  ],
  print: (slice, ctx) => ({
    cells: [
      slice.metadata.name,
      str(slice['addressType']),
      slicePorts(slice),
      sliceEndpoints(slice),
      objectAge(slice, ctx.nowMs),
    ],
  }),
};

export const networkPolicyPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col(
      'Pod-Selector',
      'Selects the pods to which this NetworkPolicy object applies. The array of ingress rules is applied to any ' +
        'pods selected by this field. Multiple network policies can select the same set of pods. In this case, ' +
        'the ingress rules for each are combined additively. This field is NOT optional and follows standard ' +
        'label selector semantics. An empty podSelector matches all pods in this namespace.',
    ),
    AGE_COLUMN,
  ],
  print: (np, ctx) => ({
    cells: [np.metadata.name, formatLabelSelector(at(np, 'spec', 'podSelector')), objectAge(np, ctx.nowMs)],
  }),
};
