// SPDX-License-Identifier: Apache-2.0
// Image references as the kubelet reports them: containerd resolves short names against docker.io (adding
// "library/" for official images and ":latest" when no tag is given), and status.imageID carries the content
// digest. The digest here is derived from the image string so every node reports the same one.
import { Rng, fnv32a } from './rng.ts';

/** "nginx:1.25" → "docker.io/library/nginx:1.25"; fully qualified references are kept. */
export function normalizeImage(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  let ref = hasRegistry ? image : slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`;
  const lastPart = ref.slice(ref.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) ref += ':latest';
  return ref;
}

/** The API server's defaulting: Always for ":latest" or untagged images, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  if (lastPart.includes('@')) return 'IfNotPresent';
  return !lastPart.includes(':') || lastPart.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

const imageIds = new Map<string, string>();

/** "docker.io/library/nginx@sha256:<64 hex>", the same for every use of the image. */
export function imageIdOf(image: string): string {
  let id = imageIds.get(image);
  if (id === undefined) {
    const normalized = normalizeImage(image);
    const repo = normalized.replace(/[:@][^/]*$/, '');
    id = `${repo}@sha256:${new Rng(fnv32a(image)).hex(64)}`;
    imageIds.set(image, id);
  }
  return id;
}
