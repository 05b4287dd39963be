// SPDX-License-Identifier: Apache-2.0
// Column definition helpers and the descriptions shared by many printers. Upstream fills descriptions from the
// generated swagger docs of the API types (ObjectMeta.name, ObjectMeta.creationTimestamp, ...); kubectl never
// prints them, but `kubectl get --raw` and other clients see them, so the common ones are verbatim.
import type { ColumnType, TableColumnDefinition } from './table-types.ts';

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow ' +
  'a client to request the generation of an appropriate name automatically. Name is primarily intended for ' +
  'creation idempotence and configuration definition. Cannot be updated. More info: ' +
  'https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not ' +
  'guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It ' +
  'is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: ' +
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

const LABEL_SELECTOR_DOC =
  'A label query over pods that should match the replica count. It must match the pod template\'s labels. More ' +
  'info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

interface ColumnOptions {
  type?: ColumnType;
  wide?: boolean;
  format?: string;
}

/** One column; `wide` marks priority 1 (shown only by `kubectl get -o wide`). */
export function col(name: string, description: string, opts: ColumnOptions = {}): TableColumnDefinition {
  return {
    name,
    type: opts.type ?? 'string',
    format: opts.format ?? '',
    description,
    priority: opts.wide === true ? 1 : 0,
  };
}

export const NAME_COLUMN: TableColumnDefinition = col('Name', NAME_DESCRIPTION, { format: 'name' });
export const AGE_COLUMN: TableColumnDefinition = col('Age', CREATION_TIMESTAMP_DESCRIPTION);

/** The wide CONTAINERS / IMAGES / SELECTOR trio of the workload printers. */
export function templateColumns(selectorDescription = LABEL_SELECTOR_DOC): TableColumnDefinition[] {
  return [
    col('Containers', CONTAINERS_DESCRIPTION, { wide: true }),
    col('Images', IMAGES_DESCRIPTION, { wide: true }),
    col('Selector', selectorDescription, { wide: true }),
  ];
}
