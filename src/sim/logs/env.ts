// SPDX-License-Identifier: Apache-2.0
// The runtime flavor of a container (from its image) and the deterministic facts its logs mention: database and
// cache addresses inside the service CIDR (10.96.0.0/12, as kubeadm and kind use), upstream services, a version.
import { fnv32a } from '../hash.ts';
import { createRng } from './rng.ts';
import type { Flavor, LogEnv } from './types.ts';

const FLAVOR_PATTERNS: readonly [RegExp, Flavor][] = [
  // Well-known Go infrastructure first, so `node-exporter` is not taken for Node.js.
  [/prometheus|alertmanager|node-exporter|kube-state-metrics|coredns|etcd|metrics-server|kindnet|kube-(apiserver|proxy|scheduler|controller-manager)/, 'go'],
  [/(^|[/-])(nginx|openresty)([:@-]|$)|ingress-nginx/, 'nginx'],
  [/(^|[/-])(postgres|postgresql|postgis|timescaledb)([:@-]|$)/, 'postgres'],
  [/(^|[/-])(redis|valkey|keydb)([:@-]|$)/, 'redis'],
  [/(^|[/-])(mysql|mariadb|percona)([:@-]|$)/, 'mysql'],
  [/(^|[/-])(node|nodejs|next|nestjs|express)([:@-]|$)/, 'node'],
  [/(^|[/-])(golang|go)([:@-]|$)|distroless\/static/, 'go'],
  [/(^|[/-])(openjdk|java|jre|jdk|eclipse-temurin|amazoncorretto|tomcat|jetty|spring[\w-]*|kafka|elasticsearch)([:@-]|$)/, 'java'],
  [/(^|[/-])(python|pypy|django|flask|fastapi|celery|gunicorn|uvicorn)([:@-]|$)/, 'python'],
];

const APP_FLAVORS: readonly Flavor[] = ['node', 'go', 'java', 'python'];

/**
 * The flavor an image suggests. Images that say nothing (`registry.example.com/shop/orders:1.4.2`) get an
 * application runtime picked by a hash of the repository, so every pod of one image agrees.
 */
export function flavorOf(image: string): Flavor {
  const repo = image.toLowerCase().replace(/@sha256:.*$/, '');
  for (const [pattern, flavor] of FLAVOR_PATTERNS) {
    if (pattern.test(repo)) return flavor;
  }
  const name = repo.replace(/:[^/]*$/, '');
  return APP_FLAVORS[fnv32a(name) % APP_FLAVORS.length] ?? 'generic';
}

/** Flavors whose programs are not applications with their own logging library. */
export function isAppFlavor(flavor: Flavor): boolean {
  return APP_FLAVORS.includes(flavor);
}

const UPSTREAMS = ['payments', 'inventory', 'users', 'catalog', 'auth', 'shipping', 'pricing', 'search', 'notifications'];

function serviceIP(rng: ReturnType<typeof createRng>): string {
  return `10.96.${rng.int(0, 3)}.${rng.int(2, 250)}`;
}

// Base images whose tag is the runtime's version, not the application's.
const RUNTIME_IMAGES = /(^|\/)(node|golang|python|openjdk|eclipse-temurin|amazoncorretto|java|alpine|busybox|ubuntu|debian|bash)(:|$)/;

/** The image tag when it is a version of what the image runs (`orders:1.4.2`, `postgres:16.4`), else made up. */
function versionOf(image: string, rng: ReturnType<typeof createRng>): string {
  const plain = image.replace(/@sha256:.*$/, '');
  const tag = /:([\w.-]+)$/.exec(plain)?.[1];
  const made = `${rng.int(1, 4)}.${rng.int(0, 19)}.${rng.int(0, 9)}`;
  if (RUNTIME_IMAGES.test(plain.toLowerCase())) return made;
  return tag !== undefined && /^v?\d/.test(tag) ? tag.replace(/^v/, '') : made;
}

/** The environment of one container, the same for all its incarnations. */
export function createEnv(seed: number, containerName: string, image: string): LogEnv {
  const rng = createRng(seed, fnv32a(containerName), fnv32a(image), 0x0e27);
  const first = rng.int(0, UPSTREAMS.length - 1);
  const upstreams = [0, 3].map((step) => `${UPSTREAMS[(first + step) % UPSTREAMS.length] ?? 'payments'}:8080`);
  const dbKind = rng.chance(0.7) ? 'postgres' : 'mysql';
  return {
    flavor: flavorOf(image),
    app: containerName,
    dbKind,
    dbHost: serviceIP(rng),
    dbPort: dbKind === 'postgres' ? 5432 : 3306,
    cacheHost: `${serviceIP(rng)}:6379`,
    upstreams,
    version: versionOf(image, rng),
  };
}
