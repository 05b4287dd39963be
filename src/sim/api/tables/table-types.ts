// SPDX-License-Identifier: Apache-2.0
// Wire shapes of `meta.k8s.io/v1` Table, as the API server encodes them in JSON. Field presence follows the Go
// struct tags: `columnDefinitions` and `rows` have no omitempty (a watch event after the first one carries
// `"columnDefinitions": null`), every column field is always written (`"format": ""`), and a row's `object` is
// a RawExtension struct, which Go's encoder never omits, so `includeObject=None` yields `"object": null`.
import type { KubeObject, ObjectMeta } from '../../model/kube-types.ts';

/** `includeObject` query parameter of a Table request; kubectl leaves it unset, which means `Metadata`. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Group version of the Table the client negotiated (kubectl offers v1 first, then v1beta1). */
export type TableVersion = 'v1' | 'v1beta1';

/** Column value types the printers use; `date` only appears in the generic NAME / CREATED AT table. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface TableColumnDefinition {
  name: string;
  type: ColumnType;
  /** `name` marks the column kubectl treats as the object's name; usually empty. */
  format: string;
  description: string;
  /** 0 is always shown; 1 only with `kubectl get -o wide`. */
  priority: 0 | 1;
}

/** The only row condition the built-in printers emit: pods that ran to completion (Succeeded or Failed). */
export interface TableRowCondition {
  type: 'Completed';
  status: 'True';
  reason: string;
  message: string;
}

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

/** A cell is a JSON value: strings, integers and, for a few boolean columns, booleans. */
export type TableCell = string | number | boolean;

export interface TableRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
  object: PartialObjectMetadata | KubeObject | null;
}

/** ListMeta: every field is omitempty on the wire. */
export interface TableMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: TableMeta;
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
}

/** What a printer needs besides the object: the scenario clock, for ages and durations. */
export interface PrintContext {
  nowMs: number;
}

/** Cells of one object plus its optional row conditions, before `includeObject` is applied. */
export interface PrintedRow {
  cells: TableCell[];
  conditions?: TableRowCondition[];
}

/**
 * The server-side printer of one kind. Cells always include the priority-1 (wide) columns, in column order:
 * the API server prints with `Wide: true` and lets kubectl hide the wide columns.
 */
export interface Printer {
  readonly columns: readonly TableColumnDefinition[];
  print(obj: KubeObject, ctx: PrintContext): PrintedRow;
}
