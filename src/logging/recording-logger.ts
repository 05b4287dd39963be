// SPDX-License-Identifier: Apache-2.0
// An EventLogger that records what it is given, for tests of components that log events.
import type { EventLogger } from './events.ts';

/** One recorded log call. */
export interface RecordedLog {
  level: 'debug' | 'info' | 'warn' | 'error';
  fields: Record<string, unknown>;
  msg: string;
}

/** An EventLogger that keeps every call in `entries`; `events()` lists the `event` fields in order. */
export class RecordingLogger implements EventLogger {
  readonly entries: RecordedLog[] = [];
  debug(fields: object, msg: string): void {
    this.entries.push({ level: 'debug', fields: { ...fields }, msg });
  }
  info(fields: object, msg: string): void {
    this.entries.push({ level: 'info', fields: { ...fields }, msg });
  }
  warn(fields: object, msg: string): void {
    this.entries.push({ level: 'warn', fields: { ...fields }, msg });
  }
  error(fields: object, msg: string): void {
    this.entries.push({ level: 'error', fields: { ...fields }, msg });
  }
  /** The `event` field of every entry, in order. */
  events(): unknown[] {
    return this.entries.map((e) => e.fields['event']);
  }
  /** Entries of one event. */
  of(event: string): Record<string, unknown>[] {
    return this.entries.filter((e) => e.fields['event'] === event).map((e) => e.fields);
  }
}
