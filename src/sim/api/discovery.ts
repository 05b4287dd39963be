// SPDX-License-Identifier: Apache-2.0
// Legacy discovery documents (/version, /api, /api/v1, /apis, /apis/<group>/<version>), shaped as a real API
// server writes them. Aggregated discovery (apidiscovery.k8s.io/v2) is not served: clients that ask for it accept
// the legacy form when the response's Content-Type is plain application/json, and fall back to per-group requests.
import { createHash } from 'node:crypto';
import { apiVersionOf, groupVersions, resourcesOf, verbsOf, type ResourceType } from '../model/resource-types.ts';

/** The Kubernetes version the simulator reports; the object shapes follow 1.35. */
export const SIM_VERSION = { major: '1', minor: '35', gitVersion: 'v1.35.0-krm-sim' } as const;

export function versionInfo(): Record<string, string> {
  return {
    major: SIM_VERSION.major,
    minor: SIM_VERSION.minor,
    emulationMajor: SIM_VERSION.major,
    emulationMinor: SIM_VERSION.minor,
    minCompatibilityMajor: SIM_VERSION.major,
    minCompatibilityMinor: '34',
    gitVersion: SIM_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.25.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = groupVersions()
    .filter((gv) => gv.group !== '')
    .map((gv) => {
      const groupVersion = `${gv.group}/${gv.version}`;
      return { name: gv.group, versions: [{ groupVersion, version: gv.version }], preferredVersion: { groupVersion, version: gv.version } };
    });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

const SUBRESOURCE_VERBS: Record<string, { kind?: string; verbs: string[] }> = {
  log: { verbs: ['get'] },
  status: { verbs: ['get', 'patch', 'update'] },
  proxy: { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
};

/** A stable per-resource hash, as storageVersionHash is (clients only compare it for equality). */
function storageVersionHash(rt: ResourceType): string {
  return createHash('sha256').update(`${apiVersionOf(rt)}/${rt.kind}`).digest('base64').slice(0, 11) + '=';
}

function resourceEntries(rt: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: rt.plural,
    singularName: rt.singular,
    namespaced: rt.namespaced,
    kind: rt.kind,
    verbs: [...verbsOf(rt)],
  };
  if (rt.shortNames) main.shortNames = [...rt.shortNames];
  if (rt.categories) main.categories = [...rt.categories];
  if (rt.group !== 'metrics.k8s.io') main.storageVersionHash = storageVersionHash(rt);
  const subs = (rt.subresources ?? []).map((sub) => {
    const def = SUBRESOURCE_VERBS[sub] ?? { verbs: ['get'] };
    return { name: `${rt.plural}/${sub}`, singularName: '', namespaced: rt.namespaced, kind: def.kind ?? rt.kind, verbs: def.verbs };
  });
  return [main, ...subs];
}

/** The APIResourceList of one group version, or undefined when it is not served. */
export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const rts = resourcesOf(group, version);
  if (rts.length === 0) return undefined;
  const groupVersion = group === '' ? version : `${group}/${version}`;
  const resources = rts.flatMap(resourceEntries);
  // The core list carries no apiVersion; named groups' lists do (as in the real documents).
  return group === ''
    ? { kind: 'APIResourceList', groupVersion, resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

/** The APIGroup document at /apis/<group>. */
export function apiGroup(group: string): Record<string, unknown> | undefined {
  const gv = groupVersions().find((g) => g.group === group && group !== '');
  if (!gv) return undefined;
  const groupVersion = `${gv.group}/${gv.version}`;
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [{ groupVersion, version: gv.version }], preferredVersion: { groupVersion, version: gv.version } };
}
