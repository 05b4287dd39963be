// SPDX-License-Identifier: Apache-2.0
// The write side of one watch: events are queued as references and serialized in batches of about 64 KiB, and the
// writer waits for 'drain' when the client reads slower than the store changes. Without this, a watch from
// resourceVersion 0 on 150,000 pods would serialize every object into the socket buffer at once (hundreds of MB).
// Bookmarks go through the same queue, so a bookmark never overtakes an event it claims to follow.
import type { ServerResponse } from 'node:http';

export type WatchEntry = { type: string; object: unknown };

const BATCH_CHARS = 64 * 1024;

export class WatchStream {
  private queue: WatchEntry[] = [];
  private head = 0;
  private pumping = false;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    /** Serializes one event's object (a Table for kubectl, the object itself otherwise). */
    private readonly encode: (entry: WatchEntry) => string,
  ) {
    res.on('close', () => {
      this.closed = true;
      this.queue = [];
    });
  }

  push(entry: WatchEntry): void {
    if (this.closed) return;
    this.queue.push(entry);
    if (!this.pumping) {
      this.pumping = true;
      // Let a synchronous burst (the initial replay) queue up first, then write it in large batches.
      setImmediate(() => this.pump());
    }
  }

  /** Writes what is queued and then ends the response (used after an ERROR event). */
  endAfterQueue(): void {
    this.push({ type: '__END__', object: null });
  }

  private pump(): void {
    // The watch's owner may have ended the response (its timeout, the server stopping) while a pump was scheduled or
    // waited for 'drain', before 'close' came: writing then would throw "write after end".
    if (this.res.writableEnded) this.closed = true;
    while (!this.closed && this.head < this.queue.length) {
      const { text, ended } = this.nextBatch();
      if (ended) {
        this.res.end(text);
        this.closed = true;
        break;
      }
      if (!this.res.write(text)) {
        this.res.once('drain', () => this.pump());
        return;
      }
    }
    this.queue = this.queue.slice(this.head);
    this.head = 0;
    this.pumping = false;
  }

  private nextBatch(): { text: string; ended: boolean } {
    let text = '';
    while (this.head < this.queue.length && text.length < BATCH_CHARS) {
      const entry = this.queue[this.head++] as WatchEntry;
      if (entry.type === '__END__') return { text, ended: true };
      text += `{"type":"${entry.type}","object":${this.encode(entry)}}\n`;
    }
    return { text, ended: false };
  }
}
