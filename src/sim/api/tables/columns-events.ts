// SPDX-License-Identifier: Apache-2.0
// Events: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE (between OBJECT and MESSAGE) and FIRST SEEN
// COUNT NAME at the end. core/v1 and events.k8s.io/v1 Events share one storage and one printer upstream, so both
// print the same table; the events.k8s.io field names (regarding, note, deprecated*) are mapped onto the core ones.
import { ageSince } from './age.ts';
import { NAME_DESCRIPTION, col } from './column-defs.ts';
import { at, num, rec, str } from './fields.ts';
import type { JsonRecord } from './fields.ts';
import type { KubeObject } from '../../model/kube-types.ts';
import type { PrintContext, PrintedRow, Printer } from './table-types.ts';

const FIELD_PATH_DOC =
  'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go ' +
  'field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is ' +
  'to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to ' +
  'the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" ' +
  '(container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing ' +
  'a part of an object.';

const EVENT_COLUMNS = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  col('Object', 'The object that this event is about.'),
  col('Subobject', FIELD_PATH_DOC, { wide: true }),
  col('Source', 'The component reporting this event. Should be a short machine understandable string.', { wide: true }),
  col('Message', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', {
    wide: true,
  }),
  col('Count', 'The number of times this event has occurred.', { wide: true }),
  col('Name', NAME_DESCRIPTION, { wide: true, format: 'name' }),
];

/** An Event in the internal (core) vocabulary, whichever API group it was stored under. */
interface EventView {
  involved: JsonRecord;
  source: JsonRecord;
  reportingController: string;
  reportingInstance: string;
  message: string;
  count: number;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
}

function viewOf(ev: KubeObject): EventView {
  if (ev.apiVersion.startsWith('events.k8s.io/')) {
    return {
      involved: rec(ev['regarding']),
      source: rec(ev['deprecatedSource']),
      reportingController: str(ev['reportingController']),
      reportingInstance: str(ev['reportingInstance']),
      message: str(ev['note']),
      count: num(ev['deprecatedCount']),
      firstTimestamp: ev['deprecatedFirstTimestamp'],
      lastTimestamp: ev['deprecatedLastTimestamp'],
    };
  }
  return {
    involved: rec(ev['involvedObject']),
    source: rec(ev['source']),
    reportingController: str(ev['reportingComponent']),
    reportingInstance: str(ev['reportingInstance']),
    message: str(ev['message']),
    count: num(ev['count']),
    firstTimestamp: ev['firstTimestamp'],
    lastTimestamp: ev['lastTimestamp'],
  };
}

function isSet(v: unknown): boolean {
  return typeof v === 'string' && v !== '';
}

/** `component, host`, falling back to the reporting controller and instance of new-style events. */
function formatSource(view: EventView): string {
  const component = str(view.source['component']) || view.reportingController;
  const instance = str(view.source['host']) || view.reportingInstance;
  return instance === '' ? component : `${component}, ${instance}`;
}

function target(view: EventView): string {
  const kind = str(view.involved['kind']).toLowerCase();
  const name = str(view.involved['name']);
  return name === '' ? kind : `${kind}/${name}`;
}

/**
 * FIRST SEEN falls back to eventTime; LAST SEEN to FIRST SEEN; an event series overrides LAST SEEN and COUNT;
 * singleton new-style events have no count and show 1.
 */
function timing(ev: KubeObject, view: EventView, nowMs: number): { first: string; last: string; count: number } {
  const first = isSet(view.firstTimestamp)
    ? ageSince(view.firstTimestamp, nowMs)
    : ageSince(ev['eventTime'], nowMs);
  const last = isSet(view.lastTimestamp) ? ageSince(view.lastTimestamp, nowMs) : first;
  const series = ev['series'];
  if (typeof series === 'object' && series !== null) {
    return { first, last: ageSince(at(series, 'lastObservedTime'), nowMs), count: num(at(series, 'count')) };
  }
  return { first, last, count: view.count === 0 ? 1 : view.count };
}

function printEvent(ev: KubeObject, ctx: PrintContext): PrintedRow {
  const view = viewOf(ev);
  const t = timing(ev, view, ctx.nowMs);
  return {
    cells: [
      t.last,
      str(ev['type']),
      str(ev['reason']),
      target(view),
      str(view.involved['fieldPath']),
      formatSource(view),
      view.message.trim(),
      t.first,
      t.count,
      ev.metadata.name,
    ],
  };
}

export const eventPrinter: Printer = { columns: EVENT_COLUMNS, print: printEvent };
