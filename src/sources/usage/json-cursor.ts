// SPDX-License-Identifier: Apache-2.0
// A pull reader over JSON text for the few large answers of a collection cycle (metrics.k8s.io's PodMetricsList:
// about 60 MB for 150,000 pods). JSON.parse builds the whole tree (every pod's labels, window and creation time
// included) inside a heap that already holds the cluster, and the collector then copies the few fields it needs: at
// the scale envelope that tree was seconds of parsing and garbage collection per cycle. The cursor reads only the
// values asked for and skips the rest without making objects. It throws {@link NotScanned} on anything that is not
// well-formed JSON; callers then decode with JSON.parse, which reports the error.

/** The text is not JSON the cursor can read (the caller falls back to JSON.parse). */
export class NotScanned extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

export class JsonCursor {
  private at = 0;

  constructor(private readonly text: string) {}

  /** The next significant character's code (NaN at the end), without consuming it. */
  peek(): number {
    let c = this.text.charCodeAt(this.at);
    while (isSpace(c)) c = this.text.charCodeAt(++this.at);
    return c;
  }

  private take(code: number): void {
    if (this.peek() !== code) throw new NotScanned(`expected ${String.fromCharCode(code)} at ${this.at}`);
    this.at++;
  }

  /** The end (exclusive) of the string whose opening quote is at `from`; whether it holds escapes. */
  private stringEnd(from: number): { end: number; escaped: boolean } {
    let i = from + 1;
    for (;;) {
      const q = this.text.indexOf('"', i);
      if (q < 0) throw new NotScanned('unterminated string');
      // A quote preceded by an odd number of backslashes is escaped.
      let slashes = 0;
      while (this.text.charCodeAt(q - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return { end: q + 1, escaped: this.hasBackslash(from + 1, q) };
      i = q + 1;
    }
  }

  private hasBackslash(from: number, to: number): boolean {
    for (let k = from; k < to; k++) if (this.text.charCodeAt(k) === BACKSLASH) return true;
    return false;
  }

  /** A string value. */
  string(): string {
    if (this.peek() !== QUOTE) throw new NotScanned(`expected a string at ${this.at}`);
    const from = this.at;
    const { end, escaped } = this.stringEnd(from);
    this.at = end;
    return escaped ? (JSON.parse(this.text.slice(from, end)) as string) : this.text.slice(from + 1, end - 1);
  }

  /** A string value, or undefined (and the value skipped) when it is something else. */
  stringOrSkip(): string | undefined {
    if (this.peek() === QUOTE) return this.string();
    this.skip();
    return undefined;
  }

  /** Skips one value of any kind. */
  skip(): void {
    const c = this.peek();
    if (c === QUOTE) {
      this.at = this.stringEnd(this.at).end;
    } else if (c === OPEN_OBJECT) {
      this.object(() => this.skip());
    } else if (c === OPEN_ARRAY) {
      this.array(() => this.skip());
    } else {
      // A number, true, false or null: up to the next delimiter.
      const from = this.at;
      let d = this.text.charCodeAt(this.at);
      while (!Number.isNaN(d) && d !== COMMA && d !== CLOSE_OBJECT && d !== CLOSE_ARRAY && !isSpace(d)) d = this.text.charCodeAt(++this.at);
      if (this.at === from) throw new NotScanned(`expected a value at ${from}`);
    }
  }

  /** Reads an object: `onKey` is called with each key and must read or skip its value. */
  object(onKey: (key: string) => void): void {
    this.take(OPEN_OBJECT);
    if (this.peek() === CLOSE_OBJECT) {
      this.at++;
      return;
    }
    for (;;) {
      const key = this.string();
      this.take(COLON);
      onKey(key);
      const c = this.peek();
      this.at++;
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) throw new NotScanned(`expected , or } at ${this.at - 1}`);
    }
  }

  /** Reads an array: `onItem` is called for each item and must read or skip it. */
  array(onItem: () => void): void {
    this.take(OPEN_ARRAY);
    if (this.peek() === CLOSE_ARRAY) {
      this.at++;
      return;
    }
    for (;;) {
      onItem();
      const c = this.peek();
      this.at++;
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) throw new NotScanned(`expected , or ] at ${this.at - 1}`);
    }
  }

  /** Checks that nothing but whitespace follows the value read. */
  end(): void {
    if (!Number.isNaN(this.peek())) throw new NotScanned(`unexpected text at ${this.at}`);
  }
}
