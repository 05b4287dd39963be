// SPDX-License-Identifier: Apache-2.0
// A direct decoder of the matrix answers of `/api/v1/query_range`, for the large reads of the one-shot report: a
// two-week read is millions of `[time, "value"]` pairs, and JSON.parse makes an array and a string of each before
// they are copied into typed arrays (most of the reader's CPU and garbage). The scan reads the text Prometheus
// writes (`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{…},"values":[[t,"v"],…]},…]`)
// straight into the arrays; anything it does not expect (an error, warnings before the data, other spacing)
// returns undefined and the caller decodes the answer with JSON.parse as before.
/** One series of a matrix: ascending timestamps (ms) and their values. */
export interface MatrixSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

const PREFIX = '{"status":"success","data":{"resultType":"matrix","result":[';
const METRIC = '{"metric":';
const VALUES = ',"values":[';

/** Thrown inside the scan on anything unexpected; turned into undefined (the JSON.parse path). */
class Unexpected extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;

class Scanner {
  at = 0;
  constructor(readonly text: string) {}

  expect(literal: string): void {
    if (!this.text.startsWith(literal, this.at)) throw new Unexpected();
    this.at += literal.length;
  }

  /** The end (exclusive) of the JSON string starting at `at`. */
  stringEnd(from: number): number {
    let i = from + 1;
    for (;;) {
      const c = this.text.charCodeAt(i);
      if (Number.isNaN(c)) throw new Unexpected();
      if (c === BACKSLASH) i += 2;
      else if (c === QUOTE) return i + 1;
      else i++;
    }
  }

  /** The label object at `at`, decoded by JSON.parse (a few labels per series). */
  labels(): Record<string, string> {
    const from = this.at;
    if (this.text.charCodeAt(from) !== 123) throw new Unexpected();
    let i = from + 1;
    for (;;) {
      const c = this.text.charCodeAt(i);
      if (c === QUOTE) i = this.stringEnd(i);
      else if (c === 125) break;
      else if (Number.isNaN(c) || c === 123 || c === 91) throw new Unexpected();
      else i++;
    }
    this.at = i + 1;
    const raw = JSON.parse(this.text.slice(from, this.at)) as Record<string, unknown>;
    const out: Record<string, string> = {};
    for (const k in raw) if (typeof raw[k] === 'string') out[k] = raw[k];
    return out;
  }

  /** One `[time,"value"]` pair onto the arrays. */
  pair(ts: number[], vs: number[]): void {
    if (this.text.charCodeAt(this.at) !== 91) throw new Unexpected();
    const comma = this.text.indexOf(',', this.at + 1);
    if (comma < 0) throw new Unexpected();
    const t = Number(this.text.slice(this.at + 1, comma));
    if (Number.isNaN(t) || this.text.charCodeAt(comma + 1) !== QUOTE) throw new Unexpected();
    const end = this.text.indexOf('"', comma + 2);
    if (end < 0 || this.text.charCodeAt(end + 1) !== 93) throw new Unexpected();
    // Seconds with millisecond decimals: rounded so that the grid stays exact (as parseMatrix).
    ts.push(Math.round(t * 1000));
    vs.push(Number(this.text.slice(comma + 2, end)));
    this.at = end + 2;
  }

  /** The items of a JSON array whose `[` is already read, through its `]`. */
  list(item: () => void): void {
    if (this.text.charCodeAt(this.at) === 93) {
      this.at++;
      return;
    }
    for (;;) {
      item();
      const c = this.text.charCodeAt(this.at++);
      if (c === 93) return;
      if (c !== 44) throw new Unexpected();
    }
  }

  series(): MatrixSeries {
    this.expect(METRIC);
    const labels = this.labels();
    this.expect(VALUES);
    const ts: number[] = [];
    const vs: number[] = [];
    this.list(() => this.pair(ts, vs));
    this.expect('}');
    return { labels, timestampsMs: Float64Array.from(ts), values: Float64Array.from(vs) };
  }
}

/** The series of a successful matrix answer, or undefined when the text is not in the shape scanned. */
export function scanMatrix(text: string): MatrixSeries[] | undefined {
  const s = new Scanner(text);
  try {
    s.expect(PREFIX);
    const out: MatrixSeries[] = [];
    s.list(() => out.push(s.series()));
    // What follows the result (`}` closing data, maybe warnings or infos, `}`) must still be JSON's.
    JSON.parse(`{"data":{"result":[]${text.slice(s.at)}`);
    return out;
  } catch (err) {
    if (err instanceof Unexpected || err instanceof SyntaxError) return undefined;
    throw err;
  }
}
