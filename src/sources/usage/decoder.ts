// SPDX-License-Identifier: Apache-2.0
// Turning the usage sources' bodies into usage: the kubelets' summaries and cAdvisor counters, and metrics-server's
// PodMetrics list. At 150,000 pods that is about 50 MB of JSON a cycle, the largest piece of work a cycle does in the
// process; done in the thread that serves the API, it held requests for a tenth of a second at a time (BENCHMARKS.md,
// "The API during a collection"). The decoder takes the bodies as bytes, so the work can run in a worker thread
// (decode-pool.ts) or, the same code, in the calling thread ({@link inlineDecoder}: tests, and the fallback).
import { parseCfsCounters, type CfsCounters } from './kubelet-cadvisor.ts';
import { PodMetricsReader, type PodMetricsItem } from './pod-metrics-decode.ts';
import { parseSummary, type NodeSummaryUsage } from './summary-decode.ts';

/** A PodMetrics list read in parts (see PodMetricsReader). */
export interface PodMetricsStream {
  /** The items the chunk completed; rejects with a SyntaxError on a bad body. */
  push(chunk: Uint8Array): Promise<PodMetricsItem[]>;
  /** Rejects with a SyntaxError when the body ended early; the stream is released either way. */
  end(): Promise<void>;
  /** Releases a stream that will not be ended (a failed or aborted read). */
  close(): void;
}

export interface UsageDecoder {
  /**
   * One node's /stats/summary body (UTF-8 JSON); rejects with a SyntaxError when it is not JSON. The body's buffer
   * passes to the decoder (it may be moved to another thread): the caller must not use it afterwards.
   */
  summary(body: Uint8Array, node: string, nowMs: number): Promise<NodeSummaryUsage>;
  /** One node's /metrics/cadvisor body; the CFS counters per `namespace/pod/container`. Takes the buffer likewise. */
  cfsCounters(body: Uint8Array): Promise<Map<string, CfsCounters>>;
  podMetrics(nowMs: number): PodMetricsStream;
}

/** What crosses to a decoder and back (decode-worker.ts serves these). */
export type DecodeRequest =
  | { readonly op: 'summary'; readonly body: Uint8Array; readonly node: string; readonly nowMs: number }
  | { readonly op: 'cadvisor'; readonly body: Uint8Array }
  | { readonly op: 'pods-open'; readonly stream: number; readonly nowMs: number }
  | { readonly op: 'pods-chunk'; readonly stream: number; readonly chunk: Uint8Array }
  | { readonly op: 'pods-end'; readonly stream: number }
  | { readonly op: 'pods-close'; readonly stream: number };

export type DecodeReply = NodeSummaryUsage | Map<string, CfsCounters> | PodMetricsItem[] | null;

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The decoding state of one thread: the PodMetrics lists being read, by stream number. */
export class DecodeSession {
  private readonly streams = new Map<number, PodMetricsReader>();

  handle(req: DecodeRequest): DecodeReply {
    switch (req.op) {
      case 'summary':
        return parseSummary(JSON.parse(text(req.body)) as unknown, req.node, req.nowMs);
      case 'cadvisor':
        return parseCfsCounters(text(req.body));
      case 'pods-open':
        this.streams.set(req.stream, new PodMetricsReader(req.nowMs));
        return null;
      case 'pods-chunk':
        return this.reader(req.stream).push(req.chunk);
      case 'pods-end':
        return this.end(req.stream);
      case 'pods-close':
        this.streams.delete(req.stream);
        return null;
    }
  }

  /** Streams open (a leak check for tests). */
  get openStreams(): number {
    return this.streams.size;
  }

  private reader(stream: number): PodMetricsReader {
    const r = this.streams.get(stream);
    if (r === undefined) throw new Error(`no PodMetrics stream ${stream}`);
    return r;
  }

  private end(stream: number): null {
    const r = this.reader(stream);
    this.streams.delete(stream);
    r.end();
    return null;
  }
}

/** Sends a request to where it is decoded; `transfer` lists the buffers that may be moved with it. */
export type DecodeDispatch = (req: DecodeRequest, transfer: ArrayBuffer[]) => Promise<DecodeReply>;

/** A decoder over `dispatch`. `streamDispatch` picks where a new PodMetrics stream runs (all its parts go there). */
export function decoderOver(dispatch: DecodeDispatch, streamDispatch: () => DecodeDispatch = () => dispatch): UsageDecoder {
  let nextStream = 0;
  return {
    summary: (body, node, nowMs) => dispatch({ op: 'summary', body, node, nowMs }, [body.buffer as ArrayBuffer]) as Promise<NodeSummaryUsage>,
    cfsCounters: (body) => dispatch({ op: 'cadvisor', body }, [body.buffer as ArrayBuffer]) as Promise<Map<string, CfsCounters>>,
    podMetrics(nowMs) {
      const stream = nextStream++;
      const to = streamDispatch();
      const opened = to({ op: 'pods-open', stream, nowMs }, []);
      // Awaited by push and end; a failure before the first of them (the worker died while the request waited for its
      // answer) must not be an unhandled rejection, which would end the process.
      opened.catch(() => undefined);
      return {
        push: async (chunk) => {
          await opened;
          return (await to({ op: 'pods-chunk', stream, chunk }, [chunk.buffer as ArrayBuffer])) as PodMetricsItem[];
        },
        end: async () => {
          await opened;
          await to({ op: 'pods-end', stream }, []);
        },
        close: () => void to({ op: 'pods-close', stream }, []).catch(() => undefined),
      };
    },
  };
}

/** Runs a request in the calling thread, as a promise (an exception becomes a rejection). */
export function inlineDispatch(session: DecodeSession): DecodeDispatch {
  return async (req) => session.handle(req);
}

/** Decodes in the calling thread. */
export function inlineDecoder(): UsageDecoder {
  return decoderOver(inlineDispatch(new DecodeSession()));
}
