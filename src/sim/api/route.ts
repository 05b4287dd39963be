// SPDX-License-Identifier: Apache-2.0
// Parses API paths the way the API server's request-info resolver does:
// /api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}[/...]]] and the same under /apis/{group}/{version}.
import { findResource, type ResourceType } from '../model/resource-types.ts';

export type Route =
  | { type: 'discovery'; group: string; version: string }
  | { type: 'group'; group: string }
  | {
      type: 'resource';
      rt: ResourceType;
      namespace?: string;
      name?: string;
      subresource?: string;
      /** Anything after the subresource (the node proxy path). */
      rest: string[];
    }
  | { type: 'unknown' };

function resourceRoute(group: string, version: string, segs: string[]): Route {
  // `namespaces/{ns}/{plural}` is a namespaced collection; `namespaces/{ns}` alone is the Namespace object.
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    const rt = findResource(group, version, segs[2] ?? '');
    if (!rt || !rt.namespaced) return { type: 'unknown' };
    return { type: 'resource', rt, namespace: segs[1], name: segs[3], subresource: segs[4], rest: segs.slice(5) };
  }
  const rt = findResource(group, version, segs[0] ?? '');
  if (!rt) return { type: 'unknown' };
  return { type: 'resource', rt, name: segs[1], subresource: segs[2], rest: segs.slice(3) };
}

export function parseRoute(pathname: string): Route {
  const segs = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segs[0] === 'api') {
    if (segs[1] !== 'v1') return { type: 'unknown' };
    return segs.length === 2 ? { type: 'discovery', group: '', version: 'v1' } : resourceRoute('', 'v1', segs.slice(2));
  }
  if (segs[0] === 'apis' && segs.length >= 2) {
    const group = segs[1] ?? '';
    if (segs.length === 2) return { type: 'group', group };
    const version = segs[2] ?? '';
    return segs.length === 3 ? { type: 'discovery', group, version } : resourceRoute(group, version, segs.slice(3));
  }
  return { type: 'unknown' };
}
