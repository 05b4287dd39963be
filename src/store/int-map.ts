// SPDX-License-Identifier: Apache-2.0
// A map of non-negative integers to non-negative integers in two typed arrays (open addressing, linear probing).
// The store keeps one such map per series (its head's slot, its identity's slot): close to a million entries at the
// scale envelope. As JavaScript Maps they were 28 MB of heap each, traced by every full garbage collection of the
// monitor (whose marking is what an API request waits for when one falls in); here they are 16 MB each outside the
// heap, which the collector does not trace.

const EMPTY = -1;
/** A deleted entry: probing goes on past it, and an iteration that deletes as it goes never sees entries move. */
const DELETED = -2;
const MIN_CAPACITY = 16;
/** Keys at or above this (never a series id in practice: 2^31 series) are kept in a plain Map beside the arrays. */
const MAX_KEY = 0x7fffffff;

export class IntMap {
  private keys: Int32Array;
  private values: Int32Array;
  private mask: number;
  /** Live entries in the arrays. */
  private live = 0;
  /** Live and deleted entries in the arrays (what slows probing down). */
  private used = 0;
  private readonly large = new Map<number, number>();
  private rebuilt = 0;

  constructor(capacity = MIN_CAPACITY) {
    const size = capacityFor(capacity);
    this.keys = new Int32Array(size).fill(EMPTY);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.live + this.large.size;
  }

  get(key: number): number | undefined {
    if (!small(key)) return this.large.get(key);
    const at = this.find(key);
    return at < 0 ? undefined : (this.values[at] as number);
  }

  has(key: number): boolean {
    return small(key) ? this.find(key) >= 0 : this.large.has(key);
  }

  /** Sets a value (a non-negative 32-bit integer). */
  set(key: number, value: number): void {
    if (!small(key)) {
      this.large.set(key, value);
      return;
    }
    const at = this.find(key);
    if (at >= 0) {
      this.values[at] = value;
      return;
    }
    if ((this.used + 1) * 10 > this.keys.length * 7) this.rehash(this.live + 1);
    this.insert(key, value);
  }

  delete(key: number): boolean {
    if (!small(key)) return this.large.delete(key);
    const at = this.find(key);
    if (at < 0) return false;
    this.keys[at] = DELETED;
    this.live--;
    return true;
  }

  clear(): void {
    this.keys = new Int32Array(MIN_CAPACITY).fill(EMPTY);
    this.values = new Int32Array(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.live = 0;
    this.used = 0;
    this.large.clear();
  }

  /** Calls `fn` for every entry; `fn` may delete entries (not add them). */
  forEach(fn: (value: number, key: number) => void): void {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      if (k >= 0) fn(this.values[i] as number, k);
    }
    for (const [k, v] of this.large) fn(v, k);
  }

  /**
   * Visits the entries in table positions [from, from + count) (the large keys with the last part) and returns where
   * the next part starts, or -1 after the last. A table that grew meanwhile moved its entries: `rehashes` says so.
   */
  forEachPart(from: number, count: number, fn: (value: number, key: number) => void): number {
    const keys = this.keys;
    const to = Math.min(keys.length, from + count);
    for (let i = from; i < to; i++) {
      const k = keys[i] as number;
      if (k >= 0) fn(this.values[i] as number, k);
    }
    if (to < keys.length) return to;
    for (const [k, v] of this.large) fn(v, k);
    return -1;
  }

  /** Times the table was rebuilt (its entries moved). */
  get rehashes(): number {
    return this.rebuilt;
  }

  /** Bytes of the arrays (for tests and diagnostics). */
  get allocatedBytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  private find(key: number): number {
    const keys = this.keys;
    for (let i = hash(key) & this.mask; ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === key) return i;
      if (k === EMPTY) return -1;
    }
  }

  private insert(key: number, value: number): void {
    const keys = this.keys;
    let i = hash(key) & this.mask;
    while ((keys[i] as number) >= 0) i = (i + 1) & this.mask;
    if (keys[i] === EMPTY) this.used++;
    keys[i] = key;
    this.values[i] = value;
    this.live++;
  }

  /** New arrays for `entries` live entries (deleted ones dropped). */
  private rehash(entries: number): void {
    this.rebuilt++;
    const { keys, values } = this;
    const size = capacityFor(entries);
    this.keys = new Int32Array(size).fill(EMPTY);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    this.live = 0;
    this.used = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as number;
      if (k >= 0) this.insert(k, values[i] as number);
    }
  }
}

const small = (key: number): boolean => key >= 0 && key < MAX_KEY && Number.isInteger(key);

/** Room for `entries` at a load of at most a half, in a power of two. */
function capacityFor(entries: number): number {
  let size = MIN_CAPACITY;
  while (size < entries * 2) size *= 2;
  return size;
}

/**
 * Multiplicative hashing: times an odd constant, consecutive ids (as the store hands them out) fill a table without
 * collisions; the high bits folded in spread other patterns (ids a multiple of a power of two apart).
 */
function hash(key: number): number {
  const h = Math.imul(key, 0x9e3779b1);
  return h ^ (h >>> 16);
}
