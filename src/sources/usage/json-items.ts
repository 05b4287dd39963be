// SPDX-License-Identifier: Apache-2.0
// The elements of a JSON list's top-level `items` array, each parsed on its own as the body streams in.
// metrics-server answers 150,000 pods in one unpaginated body of about 50 MB. Read whole and given to JSON.parse, the
// body is a 50 MB string and every object of the list is built at once, all live until the parse ends, so they are
// promoted to the old generation and stay until a full collection: that was the monitor's largest memory peak while
// sampling. Here only the element being read is held, and its objects die young. The scan tracks strings, escapes
// and nesting only; JSON.parse still validates each element, and the scan checks the structure around them.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const ITEMS_KEY = 'items';

/** +1 for an opening brace or bracket, −1 for a closing one, 0 for anything else. */
function nesting(b: number): number {
  if (b === OPEN_BRACE || b === OPEN_BRACKET) return 1;
  return b === CLOSE_BRACE || b === CLOSE_BRACKET ? -1 : 0;
}

/** Strings and escapes across chunk boundaries. */
class Strings {
  inString = false;
  private escaped = false;

  /** True when `b` is structural (outside every string); updates the state for it. */
  structural(b: number): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) this.escaped = true;
      else if (b === QUOTE) this.inString = false;
      return false;
    }
    if (b === QUOTE) this.inString = true;
    return !this.inString;
  }
}

/**
 * Feeds a body chunk by chunk (`push`, then `end`); calls `each` with every element of the top-level `items` array
 * as soon as its last byte arrives. `push` and `end` throw a SyntaxError when the body has no such array, an element
 * is not valid JSON, or the array is not closed by the end (a truncated body).
 */
export class JsonItemStream {
  private readonly strings = new Strings();
  private phase: 'seek' | 'items' | 'done' = 'seek';
  private depth = 0;
  /** Seeking: the bytes of the current top-level string (up to one more than the key's length), and the last one. */
  private key: number[] | null = null;
  private lastKey = '';
  /** Reading items: the earlier chunks' parts of the element being read. */
  private carry: Uint8Array[] = [];

  constructor(private readonly each: (item: unknown) => void) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    if (this.phase === 'seek') at = this.seek(chunk);
    if (this.phase === 'items') this.items(chunk, at);
  }

  end(): void {
    if (this.phase === 'seek') throw new SyntaxError('the body has no top-level "items" array');
    if (this.phase === 'items') throw new SyntaxError('the "items" array is not closed (truncated body)');
  }

  /** Scans for `"items": [` at the top level; returns the position past the `[` (or the chunk's end). */
  private seek(chunk: Uint8Array): number {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      const wasString = this.strings.inString;
      if (!this.strings.structural(b)) {
        this.trackKey(b, wasString);
        continue;
      }
      if (b === OPEN_BRACKET && this.depth === 1 && this.lastKey === ITEMS_KEY) {
        this.phase = 'items';
        this.depth = 0;
        return i + 1;
      }
      this.depth += nesting(b);
    }
    return chunk.length;
  }

  /** Collects the top-level strings' bytes (a few at most), to know the key an array follows. */
  private trackKey(b: number, wasString: boolean): void {
    if (this.depth !== 1) return;
    if (!wasString) this.key = [];
    else if (!this.strings.inString) this.lastKey = this.key?.length === ITEMS_KEY.length ? String.fromCharCode(...this.key) : '';
    else if (this.key && this.key.length <= ITEMS_KEY.length) this.key.push(b);
  }

  /** Reads elements from `from`; an element still open at the chunk's end is carried to the next one. */
  private items(chunk: Uint8Array, from: number): void {
    let start = this.depth > 0 ? 0 : -1;
    for (let i = from; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (!this.strings.structural(b)) continue;
      const d = nesting(b);
      if (d > 0 && this.depth++ === 0) start = i;
      if (d >= 0) continue;
      if (this.depth === 0) {
        this.phase = 'done';
        return;
      }
      if (--this.depth === 0) this.emit(chunk.subarray(start, i + 1));
    }
    if (this.depth > 0) this.carry.push(chunk.subarray(start));
  }

  private emit(last: Uint8Array): void {
    const parts = this.carry.length === 0 ? [last] : [...this.carry, last];
    this.carry = [];
    const text = parts.length === 1 ? Buffer.from(last.buffer, last.byteOffset, last.byteLength).toString('utf8') : Buffer.concat(parts).toString('utf8');
    this.each(JSON.parse(text));
  }
}
