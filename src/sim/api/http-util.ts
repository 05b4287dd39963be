// SPDX-License-Identifier: Apache-2.0
// Small helpers for the simulated API server's node:http handlers. node:http (not a framework) because LIST and
// WATCH at 150,000 pods are throughput paths: responses are written as chunks straight from the store.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StoreError, statusBody } from '../model/store-error.ts';

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, err: StoreError): void {
  sendJson(res, err.code, statusBody(err));
}

const MAX_BODY = 3 * 1024 * 1024;

/** Reads a JSON request body (the API server's 3 MiB request limit applies). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new StoreError('BadRequest', 'the request body is too large');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoreError('BadRequest', `the body of the request was in an unknown format - accepted media types include: application/json`);
  }
}

/** Reads an integer query parameter; a malformed value is a 400 as on a real server. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw new StoreError('BadRequest', `invalid value for ${name}: ${v}`);
  return Number(v);
}

export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === '1' || v === 'true';
}

/** True when the client asked for a meta.k8s.io Table (kubectl get does). */
export function wantsTable(req: IncomingMessage): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}
