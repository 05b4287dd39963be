// SPDX-License-Identifier: Apache-2.0
// Byte slots for the bodies of the open heads. A Uint8Array per head cost three objects for the garbage collector
// (the view, its ArrayBuffer and the backing store's bookkeeping) and some 200 bytes beside its data, at close to a
// million heads; here every body is a slot of one of a few size classes (powers of two), and a head is a size class
// and an offset. A slot freed by a head that grew or was cut is reused by the next one of its class. A class grows by
// whole pages, never by copying: each copy of a growing buffer was external memory that made V8 run a full
// collection of the whole heap, several times in a large cluster's first collection.

/** Bytes of the smallest slot. */
const MIN_SLOT = 16;
/** Bytes of a page of a shared arena (or one slot, for slots larger than that). */
const PAGE_BYTES = 256 * 1024;

/** One size class: slots of `size` bytes in pages of `pageBytes`, the freed ones listed for reuse. */
interface SizeClass {
  readonly size: number;
  readonly pageBytes: number;
  readonly pages: Uint8Array[];
  /** Slots handed out so far (freed ones included): the next new slot is at `used * size`. */
  used: number;
  readonly free: number[];
}

/**
 * Fixed-size byte slots in pages. A slot is named by its class and offset; the bytes are at
 * `page(cls, offset)[at(cls, offset)]` onwards, and a slot never spans pages.
 */
export class ByteArena {
  private readonly classes: SizeClass[] = [];

  /**
   * `pageBytes` 0 gives every slot a page of its own: for an encoder that writes one chunk and is dropped (history
   * writes), which then allocates what a growing buffer would rather than a page.
   */
  constructor(private readonly pageBytes = PAGE_BYTES) {}

  /** The size class whose slots hold at least `bytes` bytes. */
  static classFor(bytes: number): number {
    let cls = 0;
    while (MIN_SLOT << cls < bytes) cls++;
    return cls;
  }

  /** Slot size of a class in bytes. */
  static slotSize(cls: number): number {
    return MIN_SLOT << cls;
  }

  /** The page holding a slot. */
  page(cls: number, offset: number): Uint8Array {
    const c = this.classOf(cls);
    return c.pages[Math.floor(offset / c.pageBytes)] as Uint8Array;
  }

  /** Where a slot starts in its page. */
  at(cls: number, offset: number): number {
    return offset % this.classOf(cls).pageBytes;
  }

  /** Offset of a new slot of the class; a reused slot keeps the bytes of its last holder. */
  alloc(cls: number): number {
    const c = this.classOf(cls);
    const reused = c.free.pop();
    if (reused !== undefined) return reused;
    const offset = c.used * c.size;
    if (offset >= c.pages.length * c.pageBytes) c.pages.push(new Uint8Array(c.pageBytes));
    c.used++;
    return offset;
  }

  /** Adds the pages that `count` more slots of the class need beyond its free ones (allocated now, not by alloc). */
  reserve(cls: number, count: number): void {
    const c = this.classOf(cls);
    const slots = c.used + Math.max(0, count - c.free.length);
    while (c.pages.length * c.pageBytes < slots * c.size) c.pages.push(new Uint8Array(c.pageBytes));
  }

  /** Returns a slot for reuse; the caller no longer reads or writes it. */
  release(cls: number, offset: number): void {
    this.classOf(cls).free.push(offset);
  }

  /** Bytes of all pages, held or not (for tests and diagnostics). */
  get allocatedBytes(): number {
    let n = 0;
    for (const c of this.classes) n += c.pages.length * c.pageBytes;
    return n;
  }

  /** Bytes in slots that are held (for tests and diagnostics). */
  get heldBytes(): number {
    let n = 0;
    for (const c of this.classes) n += (c.used - c.free.length) * c.size;
    return n;
  }

  private classOf(cls: number): SizeClass {
    while (this.classes.length <= cls) {
      const size = ByteArena.slotSize(this.classes.length);
      this.classes.push({ size, pageBytes: Math.max(size, this.pageBytes), pages: [], used: 0, free: [] });
    }
    return this.classes[cls] as SizeClass;
  }
}
