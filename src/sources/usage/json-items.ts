// SPDX-License-Identifier: Apache-2.0
// The elements of a JSON list's top-level `items` array, each parsed on its own. metrics-server answers 150,000 pods
// in one unpaginated body of about 50 MB: JSON.parse of the whole body builds every object at once, all of them live
// until the parse ends, so they are promoted to the old generation and stay in memory until a full collection (the
// monitor's RSS while sampling). Parsed one at a time, an item's objects die young. The scan only tracks strings and
// nesting; JSON.parse still validates each item, and the scan checks the structure around them.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Where a scan stands: position, and whether it is inside a string. */
interface Cursor {
  at: number;
  inString: boolean;
}

/** What the byte at a cursor is: inside a string (or its closing quote), a string's opening quote, or structure. */
const IN_STRING = 0;
const STRING_OPENS = 1;
const STRUCTURE = 2;

/** Classifies the byte at the cursor, keeping track of strings (an escaped byte is skipped). */
function step(bytes: Uint8Array, c: Cursor): number {
  const b = bytes[c.at] as number;
  if (c.inString) {
    if (b === BACKSLASH) c.at++;
    else if (b === QUOTE) c.inString = false;
    return IN_STRING;
  }
  if (b !== QUOTE) return STRUCTURE;
  c.inString = true;
  return STRING_OPENS;
}

/** +1 for an opening brace or bracket, −1 for a closing one, 0 for anything else. */
function nesting(b: number): number {
  if (b === OPEN_BRACE || b === OPEN_BRACKET) return 1;
  return b === CLOSE_BRACE || b === CLOSE_BRACKET ? -1 : 0;
}

/** The position just past the `[` of the top-level object's `items` key, or -1. */
function itemsStart(bytes: Buffer): number {
  const c: Cursor = { at: 0, inString: false };
  let depth = 0;
  // The opening quote of the last string at the top level: the key, when an array follows it.
  let lastString = -1;
  for (; c.at < bytes.length; c.at++) {
    const kind = step(bytes, c);
    if (kind === STRING_OPENS && depth === 1) lastString = c.at;
    if (kind !== STRUCTURE) continue;
    if (depth === 1 && bytes[c.at] === OPEN_BRACKET && isItemsKey(bytes, lastString)) return c.at + 1;
    depth += nesting(bytes[c.at] as number);
  }
  return -1;
}

/** True when the string opening at `quoteAt` is exactly `"items"`. */
function isItemsKey(bytes: Buffer, quoteAt: number): boolean {
  return quoteAt >= 0 && bytes.toString('latin1', quoteAt, quoteAt + 7) === '"items"';
}

/**
 * Calls `each` with every element of the body's top-level `items` array, parsed one at a time. Throws a SyntaxError
 * when the body has no such array, an element is not valid JSON, or the array is not closed (a truncated body).
 */
export function eachJsonItem(body: Uint8Array, each: (item: unknown) => void): void {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const from = itemsStart(bytes);
  if (from < 0) throw new SyntaxError('the body has no top-level "items" array');
  const c: Cursor = { at: from, inString: false };
  let depth = 0;
  let start = -1;
  for (; c.at < bytes.length; c.at++) {
    if (step(bytes, c) !== STRUCTURE) continue;
    const d = nesting(bytes[c.at] as number);
    if (d > 0 && depth++ === 0) start = c.at;
    if (d >= 0) continue;
    if (depth === 0) return;
    if (--depth === 0) each(JSON.parse(bytes.toString('utf8', start, c.at + 1)));
  }
  throw new SyntaxError('the "items" array is not closed (truncated body)');
}
