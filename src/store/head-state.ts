// SPDX-License-Identifier: Apache-2.0
// The layout of encoder states kept as numbers (StateColumns): which float64 and int32 of a slot hold what. The open
// heads keep their encoders so (head-set.ts); the encoder saves and loads itself (chunk-codec.ts).

/**
 * A set of encoders' states as numbers, `f64Stride` float64 and `i32Stride` int32 per slot (at least
 * {@link STATE_F64} and {@link STATE_I32}; the set may keep its own numbers after them), in pages of
 * {@link STATE_PAGE_SLOTS} slots. The open heads are kept so (head-set.ts): close to a million encoder objects cost
 * hundreds of bytes each and were most of what every major garbage collection had to trace. Pages rather than one
 * growing array: a copy of a growing array is external memory that makes V8 collect the whole heap.
 */
export interface StateColumns {
  readonly f64: Float64Array[];
  readonly i32: Int32Array[];
  readonly f64Stride: number;
  readonly i32Stride: number;
}

/** Slots per page of {@link StateColumns}. */
export const STATE_PAGE_SLOTS = 4096;
const PAGE_SHIFT = 12;
const SLOT_MASK = STATE_PAGE_SLOTS - 1;

/** Float64 numbers of an encoder's state (the ones that can pass 2^31). */
export const STATE_F64 = 13;
/** Int32 numbers of an encoder's state. */
export const STATE_I32 = 12;
const F_FIRST_TS = 0;
const F_LAST_TS = 1;
export const F_DECIMALS = 12;
const I_COUNT = 0;
export const FLAG_YOUNG = 1;
export const FLAG_FLOAT = 2;
export const FLAG_XOR = 4;

/** The float64 page of a slot, and the slot's first index in it. */
export function f64Page(c: StateColumns, slot: number): Float64Array {
  return c.f64[slot >>> PAGE_SHIFT] as Float64Array;
}

export function f64Base(c: StateColumns, slot: number): number {
  return (slot & SLOT_MASK) * c.f64Stride;
}

/** The int32 page of a slot, and the slot's first index in it. */
export function i32Page(c: StateColumns, slot: number): Int32Array {
  return c.i32[slot >>> PAGE_SHIFT] as Int32Array;
}

export function i32Base(c: StateColumns, slot: number): number {
  return (slot & SLOT_MASK) * c.i32Stride;
}

/** First timestamp of the encoder state in a slot. */
export function stateFirstTs(c: StateColumns, slot: number): number {
  return f64Page(c, slot)[f64Base(c, slot) + F_FIRST_TS] as number;
}

/** Last timestamp of the encoder state in a slot. */
export function stateLastTs(c: StateColumns, slot: number): number {
  return f64Page(c, slot)[f64Base(c, slot) + F_LAST_TS] as number;
}

/** Number of samples of the encoder state in a slot. */
export function stateCount(c: StateColumns, slot: number): number {
  return i32Page(c, slot)[i32Base(c, slot) + I_COUNT] as number;
}
