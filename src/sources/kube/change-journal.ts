// SPDX-License-Identifier: Apache-2.0
// A bounded journal of which objects of one kind changed, by revision, so that a reader keeping state derived from
// the whole list (the API's sorted pod orders) can follow the watch without copying the list. A copy of 150,000 pod
// references is 1.2 MB, too large for V8's young generation: made once a second under churn, each went straight to the
// old generation and brought the next full collection (with its marking on the API's thread) closer.
import type { ObjectChanges, ObjectName } from '../../domain/kube-ports.ts';

/** Changes kept by default: at a churn of 100 changes a second, almost three minutes between two readers' visits. */
const DEFAULT_CAPACITY = 16_384;

export class ChangeJournal {
  /** Revision of the next change; the journal holds revisions [max(floor, revision - capacity), revision). */
  private revision = 0;
  /** The first revision after the last reset (a relist): changes before it are not held. */
  private floor = 0;
  // Two parallel rings of strings the objects already hold: an entry keeps no object alive, only its names. They grow
  // to `capacity` as changes come (most kinds change rarely) and then wrap.
  private readonly namespaces: (string | undefined)[] = [];
  private readonly names: string[] = [];

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** Records that the object named so was added, modified or deleted. */
  record(namespace: string | undefined, name: string): void {
    const slot = this.revision % this.capacity;
    if (slot === this.names.length) {
      this.namespaces.push(namespace);
      this.names.push(name);
    } else {
      this.namespaces[slot] = namespace;
      this.names[slot] = name;
    }
    this.revision++;
  }

  /** Forgets every change so far (a complete list replaced the objects): readers must read the list again. */
  reset(): void {
    // A placeholder entry moves the revision on, so that a reader holding the revision of just before the reset is
    // told to reread too; it lies below the floor and is never returned.
    this.record(undefined, '');
    this.floor = this.revision;
  }

  /**
   * The objects changed since `since` (a revision this journal returned), with the current revision; `changed` is
   * undefined when those changes are no longer held, or when `since` is omitted. A name may appear more than once.
   */
  since(since?: number): ObjectChanges {
    const oldest = Math.max(this.floor, this.revision - this.capacity);
    if (since === undefined || since < oldest || since > this.revision) return { revision: this.revision };
    const changed: ObjectName[] = [];
    for (let r = since; r < this.revision; r++) {
      const slot = r % this.capacity;
      const namespace = this.namespaces[slot];
      changed.push(namespace === undefined ? { name: this.names[slot] as string } : { namespace, name: this.names[slot] as string });
    }
    return { revision: this.revision, changed };
  }
}
