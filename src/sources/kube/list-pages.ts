// SPDX-License-Identifier: Apache-2.0
// A paginated LIST (`limit` + `continue`). Every page of one list is served from the same snapshot, whose
// resourceVersion is where the following WATCH must start. A continue token names a point in etcd's history and
// expires with compaction (about every 5 minutes): the server then answers 410 and the list has to start over,
// since a fresh first page is the only way to get a new consistent snapshot.
import { withDeadline } from '../../runtime/deadline.ts';
import { KubeApiError, errorFromResponse } from './kube-errors.ts';
import type { KubeHttp } from './kube-http.ts';
import { arr, obj, str } from './raw-access.ts';

export interface ListAllOptions<T> {
  readonly http: KubeHttp;
  /** Collection path, e.g. `/api/v1/pods`. */
  readonly path: string;
  /** Objects per page (REQUIREMENTS §1.3: 500). */
  readonly limit: number;
  readonly signal: AbortSignal;
  /** Compacts one raw object as its page arrives, so raw pages never pile up; undefined skips the object. */
  readonly project: (raw: unknown) => T | undefined;
  /** Upper bound for one page's request and body in milliseconds. */
  readonly pageTimeoutMs: number;
  /** Start-overs allowed after expired continue tokens before giving up to the caller's backoff. */
  readonly maxRestarts: number;
  /** Called before each start-over, with its 1-based number. */
  readonly onRestart?: (attempt: number) => void;
}

export interface ListAllResult<T> {
  readonly items: T[];
  /** The snapshot's resourceVersion (an opaque string). */
  readonly resourceVersion: string;
  readonly pages: number;
  /** Objects the projection rejected. */
  readonly skipped: number;
}

interface Page {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
}

/** Thrown inside this module only: the continue token of a page request expired. */
class ContinueExpired extends Error {}

async function fetchPage<T>(o: ListAllOptions<T>, continueToken: string | undefined): Promise<Page> {
  const { status, text } = await withDeadline(o.signal, o.pageTimeoutMs, async (signal) => {
    const res = await o.http({ path: o.path, query: { limit: String(o.limit), continue: continueToken }, signal });
    return { status: res.status, text: await res.text() };
  });
  if (status !== 200) {
    const err = errorFromResponse(status, text);
    if (err.code === 'KRM_KUBE_GONE' && continueToken !== undefined) throw new ContinueExpired(err.message, { cause: err });
    throw err;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', 'list response is not JSON', { status, cause: err });
  }
  const meta = obj(obj(body).metadata);
  const resourceVersion = str(meta.resourceVersion);
  if (resourceVersion === undefined) throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', 'list response has no resourceVersion');
  const next = str(meta.continue);
  return { items: arr(obj(body).items), resourceVersion, continueToken: next === '' ? undefined : next };
}

async function listOnce<T>(o: ListAllOptions<T>): Promise<ListAllResult<T>> {
  const items: T[] = [];
  let skipped = 0;
  let pages = 0;
  let continueToken: string | undefined;
  let resourceVersion: string;
  do {
    const page = await fetchPage(o, continueToken);
    pages++;
    for (const raw of page.items) {
      const item = o.project(raw);
      if (item === undefined) skipped++;
      else items.push(item);
    }
    resourceVersion = page.resourceVersion;
    continueToken = page.continueToken;
  } while (continueToken !== undefined);
  return { items, resourceVersion, pages, skipped };
}

/**
 * Lists a whole collection page by page. Starts over (at most `maxRestarts` times) when a continue token expires;
 * then fails with `KRM_KUBE_LIST_EXPIRED` so the caller backs off instead of looping. Other failures propagate as
 * KubeApiError or transport errors.
 */
export async function listAll<T>(o: ListAllOptions<T>): Promise<ListAllResult<T>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listOnce(o);
    } catch (err) {
      if (!(err instanceof ContinueExpired)) throw err;
      if (attempt >= o.maxRestarts) {
        throw new KubeApiError('KRM_KUBE_LIST_EXPIRED', 'continue token expired on every attempt', { status: 410, cause: err });
      }
      o.onRestart?.(attempt + 1);
    }
  }
}
