// SPDX-License-Identifier: Apache-2.0
// Numbers kept per pod from cycle to cycle, as columns of typed arrays indexed by a slot per pod, found by namespace
// then name. An object per pod with number fields costs V8 a heap object per field that is not a small integer
// (sample times, sums), and the full collection's marking visits each of them: for 150,000 pods those boxes were
// about a fifth of the monitor's heap objects (BENCHMARKS.md, "Fewer objects to mark"). Typed arrays are not traced.
import { mapIn, sweepNested } from './maps.ts';

const INITIAL_CAPACITY = 1024;

/** Slots by namespace and name, each with one number per column; slots of dropped pods are reused. */
export class PodSlots<C extends string> {
  private readonly byNamespace = new Map<string, Map<string, number>>();
  /** A plain object rather than a Map: `column` is called per pod, and a property read is the cheapest lookup. */
  private readonly columns = {} as Record<C, Float64Array>;
  private readonly columnNames: readonly C[];
  private namespaces: string[] = [];
  private names: string[] = [];
  private readonly free: number[] = [];
  private used = 0;
  private live = 0;

  constructor(columns: readonly C[], initial: number = INITIAL_CAPACITY) {
    this.columnNames = columns;
    for (const c of columns) this.columns[c] = new Float64Array(initial);
  }

  /** Pods with a slot. */
  get size(): number {
    return this.live;
  }

  /** The pod's slot, or -1. */
  find(namespace: string, name: string): number {
    return this.byNamespace.get(namespace)?.get(name) ?? -1;
  }

  /** The pod's slot, made (every column 0) when it has none. Columns may be replaced: read `column` after this. */
  slot(namespace: string, name: string): number {
    const pods = mapIn(this.byNamespace, namespace);
    const known = pods.get(name);
    if (known !== undefined) return known;
    const s = this.free.pop() ?? this.used++;
    if (s >= this.capacity) this.grow();
    for (const c of this.columnNames) this.columns[c][s] = 0;
    this.namespaces[s] = namespace;
    this.names[s] = name;
    pods.set(name, s);
    this.live++;
    return s;
  }

  /** The column's array (index it by slot); the same array until a new slot needs more room. */
  column(c: C): Float64Array {
    return this.columns[c];
  }

  namespaceOf(slot: number): string {
    return this.namespaces[slot] ?? '';
  }

  nameOf(slot: number): string {
    return this.names[slot] ?? '';
  }

  /** Every slot in use. */
  *slots(): IterableIterator<number> {
    for (const pods of this.byNamespace.values()) yield* pods.values();
  }

  /** Visits every slot in use and frees those `keep` returns false for. */
  sweep(keep: (slot: number) => boolean): void {
    sweepNested(this.byNamespace, (s) => {
      if (keep(s)) return true;
      this.free.push(s);
      this.namespaces[s] = '';
      this.names[s] = '';
      this.live--;
      return false;
    });
  }

  private get capacity(): number {
    const first = this.columnNames[0];
    return first === undefined ? Number.POSITIVE_INFINITY : this.columns[first].length;
  }

  private grow(): void {
    const size = Math.max(INITIAL_CAPACITY, this.capacity * 2);
    for (const c of this.columnNames) {
      const next = new Float64Array(size);
      next.set(this.columns[c]);
      this.columns[c] = next;
    }
  }
}
