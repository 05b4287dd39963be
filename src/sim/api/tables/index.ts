// SPDX-License-Identifier: Apache-2.0
// Server-side Table printing for the simulated API server.
export { toTable, toWatchTable, createWatchTableEncoder } from './table.ts';
export type { ToTableOptions, WatchTableOptions } from './table.ts';
export { humanDuration } from './age.ts';
export type {
  IncludeObject,
  PartialObjectMetadata,
  Table,
  TableColumnDefinition,
  TableRow,
  TableRowCondition,
  TableVersion,
} from './table-types.ts';
