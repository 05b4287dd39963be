// SPDX-License-Identifier: Apache-2.0
// Growable typed-array columns shared by the container, pod and node tables, with a slot free-list.

/** Growth factor of full tables: 1.25 keeps the unused tail small at 225,000 slots (about 12 % on average). */
const GROWTH = 1.25;

/** The typed arrays the tables use as columns. */
export type Column = Float64Array | Float32Array | Int32Array | Uint8Array;

/** A copy of `column` with room for `capacity` slots (the tail is zero-filled). */
export function grownColumn<T extends Column>(column: T, capacity: number): T {
  const Ctor = column.constructor as new (length: number) => T;
  const next = new Ctor(capacity);
  next.set(column as ArrayLike<number>);
  return next;
}

/**
 * Slot allocation for a struct-of-arrays table: reuses freed slots first (so a table under churn does not grow),
 * otherwise hands out the next slot past the high-water mark and asks the owner to grow when full.
 */
export class SlotAllocator {
  /** Slots `[0, highWater)` have been handed out at least once; loops scan only these. */
  highWater = 0;
  /** Number of live slots. */
  live = 0;
  private readonly free: number[] = [];

  /** @param capacity current column length */
  constructor(public capacity: number) {}

  /**
   * Takes a slot. `grow` is called with the new capacity when the columns must be reallocated first.
   * @returns the slot index
   */
  take(grow: (capacity: number) => void): number {
    this.live++;
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.highWater === this.capacity) {
      this.capacity = Math.max(16, Math.ceil(this.capacity * GROWTH));
      grow(this.capacity);
    }
    return this.highWater++;
  }

  /** Returns a slot to the free-list; its columns must already be cleared by the owner. */
  release(slot: number): void {
    this.live--;
    this.free.push(slot);
  }
}
