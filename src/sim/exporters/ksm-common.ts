// SPDX-License-Identifier: Apache-2.0
// Building blocks shared by the kube-state-metrics family files: a family over every object of one store key,
// and the true/false/unknown triplets KSM writes for conditions.
import type { Condition, KubeObject } from '../model/kube-types.ts';
import type { ClusterView } from './cluster-view.ts';
import { defineFamily, type FamilyCollector, type Labels, type Sample } from './series.ts';

export type ObjectFn<T extends KubeObject> = (obj: T) => Iterable<Sample>;

export interface KindFamilyDef {
  /** Store key of the kind (`nodes`, `deployments.apps`, …). */
  readonly key: string;
  readonly name: string;
  readonly help: string;
}

/** A gauge family with the samples `fn` derives from each object of `def.key`. */
export function kindFamily<T extends KubeObject>(def: KindFamilyDef, fn: ObjectFn<T>): FamilyCollector<ClusterView> {
  return defineFamily({ name: def.name, help: def.help, type: 'gauge' }, function* (view: ClusterView) {
    for (const obj of view.list<T>(def.key)) yield* fn(obj);
  });
}

/** One sample per object when `value` is defined (KSM skips a series whose field is unset only where noted). */
export function single<T extends KubeObject>(labels: (obj: T) => Labels, value: (obj: T) => number | undefined): ObjectFn<T> {
  return function* (obj) {
    const v = value(obj);
    if (v !== undefined) yield { labels: labels(obj), value: v };
  };
}

const CONDITION_STATUSES = [
  ['true', 'True'],
  ['false', 'False'],
  ['unknown', 'Unknown'],
] as const;

/** KSM's three series per condition: `status="true|false|unknown"`, exactly one of them 1. */
export function* conditionSamples(base: Labels, conditions: readonly Condition[], withReason = false): Generator<Sample> {
  for (const c of conditions) {
    const head: Labels = withReason ? [...base, ['reason', c.reason ?? ''], ['condition', c.type]] : [...base, ['condition', c.type]];
    for (const [label, status] of CONDITION_STATUSES) yield { labels: [...head, ['status', label]], value: c.status === status ? 1 : 0 };
  }
}

/** KSM's owner series: one per owner reference, or one with empty labels when there is none. */
export function* ownerSamples(base: Labels, obj: KubeObject): Generator<Sample> {
  const owners = obj.metadata.ownerReferences ?? [];
  if (owners.length === 0) {
    yield { labels: [...base, ['owner_kind', ''], ['owner_name', ''], ['owner_is_controller', '']], value: 1 };
    return;
  }
  for (const o of owners) {
    const isController = o.controller === true ? 'true' : 'false';
    yield { labels: [...base, ['owner_kind', o.kind], ['owner_name', o.name], ['owner_is_controller', isController]], value: 1 };
  }
}

/** One series per phase in `phases`, 1 for the object's current phase. */
export function* phaseSamples(base: Labels, phases: readonly string[], current: string | undefined): Generator<Sample> {
  for (const phase of phases) yield { labels: [...base, ['phase', phase]], value: current === phase ? 1 : 0 };
}
