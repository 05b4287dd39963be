// SPDX-License-Identifier: Apache-2.0
// A collect's containers as a source reads them in parts: handed to the request's `onContainers` as they come when
// it has one (and then only counted: types.ts says why they are not kept), else kept for the snapshot.
import type { CollectRequest, ContainerUsage, UsageSnapshot } from './types.ts';

export class ContainerParts {
  private readonly kept: ContainerUsage[] = [];
  private reported = 0;

  constructor(private readonly onContainers: CollectRequest['onContainers']) {}

  add(part: readonly ContainerUsage[]): void {
    if (part.length === 0) return;
    if (this.onContainers === undefined) {
      for (const c of part) this.kept.push(c);
      return;
    }
    this.reported += part.length;
    this.onContainers(part);
  }

  /** The snapshot's `containers` and `reported`. */
  snapshot(): Pick<UsageSnapshot, 'containers' | 'reported'> {
    return { containers: this.kept, reported: this.reported };
  }
}
