// SPDX-License-Identifier: Apache-2.0
// Server-side printing: turns stored objects into the `meta.k8s.io` Table that `kubectl get` asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io, ...`. Pure functions of the objects and `nowMs`.
import type { ResourceType } from '../../model/resource-types.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import { printerFor } from './printers.ts';
import type {
  IncludeObject,
  PartialObjectMetadata,
  PrintContext,
  Table,
  TableMeta,
  TableRow,
  TableVersion,
} from './table-types.ts';

export interface ToTableOptions {
  /** kubectl sends none (meaning Metadata) unless it needs whole objects, as for `--sort-by`. */
  includeObject: IncludeObject;
  nowMs: number;
  /** The list's resourceVersion, or the object's for a single GET. Omitted from the wire when empty. */
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
  /** Defaults to v1; v1beta1 also renames PartialObjectMetadata's apiVersion. */
  tableVersion?: TableVersion;
}

function metaGroupVersion(version: TableVersion | undefined): string {
  return `meta.k8s.io/${version ?? 'v1'}`;
}

/** The row's `object` per includeObject. Stored objects are shared, so the metadata is referenced, not copied. */
function rowObject(
  obj: KubeObject,
  include: IncludeObject,
  groupVersion: string,
): PartialObjectMetadata | KubeObject | null {
  switch (include) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: groupVersion, metadata: obj.metadata };
  }
}

function toRows(rt: ResourceType, objects: readonly KubeObject[], opts: ToTableOptions): TableRow[] {
  const printer = printerFor(rt);
  const ctx: PrintContext = { nowMs: opts.nowMs };
  const groupVersion = metaGroupVersion(opts.tableVersion);
  return objects.map((obj) => {
    const printed = printer.print(obj, ctx);
    const row: TableRow = { cells: printed.cells, object: rowObject(obj, opts.includeObject, groupVersion) };
    if (printed.conditions !== undefined) row.conditions = printed.conditions;
    return row;
  });
}

function tableMeta(opts: ToTableOptions): TableMeta {
  const meta: TableMeta = {};
  if (opts.resourceVersion !== '') meta.resourceVersion = opts.resourceVersion;
  if (opts.continueToken !== undefined && opts.continueToken !== '') meta.continue = opts.continueToken;
  if (opts.remainingItemCount !== undefined) meta.remainingItemCount = opts.remainingItemCount;
  return meta;
}

/**
 * The Table for a list (or a single GET, with one object) of resource type `rt`. Every row carries the wide
 * (priority 1) cells too; kubectl drops them unless `-o wide`.
 */
export function toTable(rt: ResourceType, objects: readonly KubeObject[], opts: ToTableOptions): Table {
  return {
    kind: 'Table',
    apiVersion: metaGroupVersion(opts.tableVersion),
    metadata: tableMeta(opts),
    columnDefinitions: [...printerFor(rt).columns],
    rows: toRows(rt, objects, opts),
  };
}

export interface WatchTableOptions {
  includeObject: IncludeObject;
  nowMs: number;
  /** True only for the first event of a watch stream. */
  withColumns: boolean;
  tableVersion?: TableVersion;
}

/**
 * The object of one watch event when the client asked for Tables (`kubectl get -w`): a Table with one row whose
 * metadata.resourceVersion is the object's. The API server's watch encoder (watchEmbeddedEncoder) prints the
 * column definitions on the first event of a stream only and then switches to NoHeaders, so every later event
 * has `"columnDefinitions": null`; kubectl reuses the columns it saw last. ERROR events carry a Status, which is
 * sent as is, not as a Table.
 */
export function toWatchTable(rt: ResourceType, obj: KubeObject, opts: WatchTableOptions): Table {
  const table = toTable(rt, [obj], {
    includeObject: opts.includeObject,
    nowMs: opts.nowMs,
    resourceVersion: obj.metadata.resourceVersion ?? '',
    tableVersion: opts.tableVersion,
  });
  return opts.withColumns ? table : { ...table, columnDefinitions: null };
}

/**
 * Per-stream helper holding the one bit of state the server keeps: whether the headers went out already.
 * Call it for each ADDED / MODIFIED / DELETED (and BOOKMARK) object in stream order.
 */
export function createWatchTableEncoder(
  rt: ResourceType,
  opts: { includeObject: IncludeObject; tableVersion?: TableVersion },
): (obj: KubeObject, nowMs: number) => Table {
  let first = true;
  return (obj, nowMs) => {
    const table = toWatchTable(rt, obj, { ...opts, nowMs, withColumns: first });
    first = false;
    return table;
  };
}

