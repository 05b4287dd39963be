// SPDX-License-Identifier: Apache-2.0
// Watch throughput of the monitor: a pod watch stream is recorded from the simulator once (a watch from
// resourceVersion 0 sends every pod), its events turned into MODIFIED, and then replayed from memory as the body
// of the watch that a pods-only ClusterCache opens after its LIST. So the time covers the product's whole watch
// path after the socket (line splitting, JSON.parse, projection, the store upsert and the pod-history hook) on
// one core, and none of the simulator's serialization, which its own benchmark (bench/sim.ts) measures.
import { ClusterCache } from '../src/sources/kube/index.ts';
import type { KubeHttp, KubeHttpResponse } from '../src/sources/kube/index.ts';
import type { WatchReport } from './monitor-protocol.ts';

const NEWLINE = 10;
/** Socket-sized pieces, as node:http hands a response body over. */
const CHUNK_BYTES = 64 * 1024;

/** Where a chunk ends after at most `wanted` more lines, and how many lines that is. */
function cutAfterLines(buf: Buffer, wanted: number): { end: number; lines: number } {
  let lines = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === NEWLINE && ++lines === wanted) return { end: i + 1, lines };
  }
  return { end: buf.length, lines };
}

/** Reads the first `events` lines of a pod watch from resourceVersion 0. */
export async function recordPodWatch(http: KubeHttp, events: number): Promise<Buffer> {
  const ac = new AbortController();
  const res = await http({ path: '/api/v1/pods', query: { watch: 'true', resourceVersion: '0' }, signal: ac.signal });
  const chunks: Buffer[] = [];
  let lines = 0;
  try {
    for await (const chunk of res.body) {
      const cut = cutAfterLines(Buffer.from(chunk), events - lines);
      chunks.push(Buffer.from(chunk).subarray(0, cut.end));
      lines += cut.lines;
      if (lines >= events) break;
    }
  } finally {
    ac.abort();
    res.discard();
  }
  // The objects are already in the cache after its LIST: as MODIFIED events they are what churn looks like.
  return Buffer.from(Buffer.concat(chunks).toString('latin1').replaceAll('{"type":"ADDED"', '{"type":"MODIFIED"'), 'latin1');
}

function bodyResponse(body: AsyncIterable<Uint8Array>): KubeHttpResponse {
  return { status: 200, body, text: () => Promise.reject(new Error('not a text body')), discard: () => undefined };
}

async function* chunksOf(data: Buffer, onEnd: () => void): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += CHUNK_BYTES) yield data.subarray(at, at + CHUNK_BYTES);
  // Asked for the next chunk after the last: every line before it has been applied.
  onEnd();
}

async function* idleUntil(signal: AbortSignal): AsyncGenerator<Uint8Array> {
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  yield* [];
}

/** A transport that passes LISTs to the simulator and answers the first WATCH with the recording. */
function replayingHttp(real: KubeHttp, recording: Buffer): { http: KubeHttp; started: Promise<number>; ended: Promise<number> } {
  let watches = 0;
  let onStart: (t: number) => void = () => undefined;
  let onEnd: (t: number) => void = () => undefined;
  const started = new Promise<number>((r) => (onStart = r));
  const ended = new Promise<number>((r) => (onEnd = r));
  const http: KubeHttp = async (req) => {
    if (req.query?.watch !== 'true') return real(req);
    if (watches++ > 0) return bodyResponse(idleUntil(req.signal));
    onStart(performance.now());
    return bodyResponse(chunksOf(recording, () => onEnd(performance.now())));
  };
  return { http, started, ended };
}

function countLines(data: Buffer): number {
  let n = 0;
  for (const b of data) if (b === NEWLINE) n++;
  return n;
}

/** Lists pods from the simulator, then replays `recording` through the pods watch loop and times it. */
export async function benchWatchReplay(real: KubeHttp, recording: Buffer): Promise<WatchReport> {
  const replay = replayingHttp(real, recording);
  const cache = new ClusterCache({ http: replay.http, kinds: ['pods'] });
  const ac = new AbortController();
  const running = cache.run(ac.signal);
  try {
    const t0 = await replay.started;
    const cpu = process.cpuUsage();
    const t1 = await replay.ended;
    const used = process.cpuUsage(cpu);
    const state = cache.loopStates()[0];
    return {
      type: 'watch',
      events: countLines(recording),
      bytes: recording.length,
      ms: t1 - t0,
      cpuMs: (used.user + used.system) / 1000,
      eventsApplied: state?.eventsApplied ?? 0,
    };
  } finally {
    ac.abort();
    await running;
  }
}
