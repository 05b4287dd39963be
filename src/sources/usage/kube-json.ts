// SPDX-License-Identifier: Apache-2.0
// One JSON GET through the API server with a per-request timeout, failing with a typed KubeApiError.
import type { KubeHttp, KubeHttpResponse } from '../kube/kube-http.ts';
import { errorFromResponse, KubeApiError, toKubeError } from '../kube/kube-errors.ts';
import { withDeadline } from '../../runtime/deadline.ts';
import type { CollectError } from './types.ts';

export interface KubeJsonRequest {
  readonly path: string;
  readonly signal: AbortSignal;
  /** Aborts this request alone after this many ms (the caller's signal still aborts it earlier). */
  readonly timeoutMs?: number;
}

/** GETs `path` and returns the body, read by `read`. Rejects like {@link getKubeJson}. */
async function getKubeBody<T>(http: KubeHttp, req: KubeJsonRequest, read: (res: KubeHttpResponse) => Promise<T>): Promise<{ status: number; body: T }> {
  try {
    return await withDeadline(req.signal, req.timeoutMs, async (signal) => {
      const res = await http({ path: req.path, signal });
      return { status: res.status, body: await read(res) };
    });
  } catch (err) {
    req.signal.throwIfAborted();
    throw toKubeError(err);
  }
}

/** GETs `path` and returns the body as text. Rejects like {@link getKubeJson}. */
async function getKubeText(http: KubeHttp, req: KubeJsonRequest): Promise<{ status: number; text: string }> {
  const { status, body: text } = await getKubeBody(http, req, (res) => res.text());
  if (status < 200 || status >= 300) throw errorFromResponse(status, text);
  return { status, text };
}

/** The chunks in one array of its own (not a view of a pooled buffer, so that it can be moved to another thread). */
async function ownBytes(body: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    length += chunk.byteLength;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** GETs `path` and returns the body's bytes, for a decoder (decoder.ts). Rejects like {@link getKubeJson}. */
export async function getKubeBytes(http: KubeHttp, req: KubeJsonRequest): Promise<Uint8Array> {
  const { status, body } = await getKubeBody<Uint8Array | string>(http, req, (res) => (res.status >= 200 && res.status < 300 ? ownBytes(res.body) : res.text()));
  if (typeof body === 'string') throw errorFromResponse(status, body);
  return body;
}

/**
 * GETs `path` and hands the body's chunks to `sink` as they arrive, for a parser that reads a large body piece by
 * piece (metrics-server's list); the next chunk is read once the promise `sink` returns settles. Rejects like {@link getKubeJson}; an error `sink` throws stops the read and rejects
 * as it is.
 */
export async function getKubeChunks(http: KubeHttp, req: KubeJsonRequest, sink: (chunk: Uint8Array) => void | Promise<void>): Promise<void> {
  let sinkError: unknown;
  const { status, body } = await getKubeBody(http, req, async (res) => {
    if (res.status < 200 || res.status >= 300) return res.text();
    for await (const chunk of res.body) {
      try {
        await sink(chunk);
      } catch (err) {
        sinkError = err;
        res.discard();
        break;
      }
    }
    return '';
  });
  if (status < 200 || status >= 300) throw errorFromResponse(status, body);
  if (sinkError !== undefined) throw sinkError;
}

/** GETs `path` and parses the body as JSON. Rejects with a KubeApiError (a non-2xx status, a bad body, a timeout). */
export async function getKubeJson(http: KubeHttp, req: KubeJsonRequest): Promise<unknown> {
  const { status, text } = await getKubeText(http, req);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new KubeApiError('KRM_KUBE_BAD_RESPONSE', `${req.path}: the body is not JSON`, { status, cause });
  }
}

/** A failure as a per-item error value. */
export function collectErrorOf(err: unknown, target: string): CollectError {
  const e = toKubeError(err);
  return { code: e.code, target, message: e.message };
}
