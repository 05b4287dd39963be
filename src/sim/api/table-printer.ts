// SPDX-License-Identifier: Apache-2.0
// The seam between the list/watch handlers and the server-side printers in ./tables/.
import type { KubeObject } from '../model/kube-types.ts';
import type { ResourceType } from '../model/resource-types.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TablePrinter {
  table(
    rt: ResourceType,
    objects: readonly KubeObject[],
    opts: { includeObject: IncludeObject; nowMs: number; resourceVersion: string; continueToken?: string; remainingItemCount?: number },
  ): unknown;
  /** One watch event's Table; the first event of a stream carries the column definitions. */
  watchTable(rt: ResourceType, obj: KubeObject, opts: { includeObject: IncludeObject; nowMs: number; withColumns: boolean }): unknown;
}
