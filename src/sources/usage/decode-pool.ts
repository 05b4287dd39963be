// SPDX-License-Identifier: Apache-2.0
// A usage decoder in a worker thread (decoder.ts says why). The thread that serves the API then only reads the bodies
// off the sockets and takes the usage back, and the parse's garbage is collected in the worker's own heap. A worker
// that cannot start or dies fails the requests it holds (a node's summary becomes that node's error, a metrics-server
// read fails its cycle) and the decoding moves into the calling thread from then on, logged once.
import { logEvent, type EventLogger } from '../../logging/events.ts';
import { WorkerCalls } from '../../runtime/worker-calls.ts';
import { decoderOver, DecodeSession, inlineDispatch, type DecodeDispatch, type DecodeRequest, type UsageDecoder } from './decoder.ts';
import { fromWire, type WireReply } from './usage-wire.ts';

export interface DecodePoolOptions {
  readonly log?: EventLogger;
  /** The worker's module (tests: one that fails). */
  readonly workerUrl?: URL;
}

export interface DecodePool extends UsageDecoder {
  /** Starts the worker ahead of the first body (its start-up, about a second, then does not delay a cycle). */
  start(): void;
  /** False once decoding moved into the calling thread (the worker failed). */
  readonly inWorker: boolean;
  close(): Promise<void>;
}

/**
 * The decode worker's old generation (MiB): far above what it keeps (one body's objects at a time); a worker that
 * needed more would fail, and the decoding move into the calling thread, rather than the process grow.
 */
const DECODE_OLD_GENERATION_MB = 96;

/** See the file comment. */
export function createDecodePool(opts: DecodePoolOptions = {}): DecodePool {
  const url = opts.workerUrl ?? new URL('./decode-worker.ts', import.meta.url);
  const calls = new WorkerCalls<DecodeRequest, WireReply>(url, 'krm-decode', {
    failed: (err) => {
      if (opts.log) logEvent(opts.log, { event: 'collection.decode_worker_failed', err });
    },
    // Everything the worker allocates dies with the body it parses (its live data is a few MB). Its young generation
    // is the process's (`--max-semi-space-size` wins over a worker's own limit), so it is that flag that sets most of
    // the worker's footprint: README, "Running against a real cluster".
    resourceLimits: { maxOldGenerationSizeMb: DECODE_OLD_GENERATION_MB },
  });
  const inline = inlineDispatch(new DecodeSession());
  const worker: DecodeDispatch = async (req, transfer) => fromWire(req.op, await calls.call(req, transfer));
  const pick = (): DecodeDispatch => (calls.available ? worker : inline);
  const decoder = decoderOver((req, transfer) => pick()(req, transfer), pick);
  return {
    ...decoder,
    start: () => calls.start(),
    get inWorker() {
      return calls.available;
    },
    close: () => calls.close(),
  };
}
