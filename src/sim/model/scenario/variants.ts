// SPDX-License-Identifier: Apache-2.0
// Other revisions of a workload template: the previous revision a Deployment keeps as a scaled-down ReplicaSet
// (revisionHistoryLimit), and the new revision of a rollout stuck past its progress deadline. Variants are cached
// per template so thousands of generated namespaces share them (and their resolved pod templates).
import { failureSchema, type WorkloadTemplate } from './schema-workload.ts';

const healthy = new WeakMap<WorkloadTemplate, WorkloadTemplate>();
const previous = new WeakMap<WorkloadTemplate, WorkloadTemplate | null>();
const stuck = new WeakMap<WorkloadTemplate, WorkloadTemplate>();

/** The template without its failure mode (the healthy revision of a stuck rollout). */
export function healthyVariant(t: WorkloadTemplate): WorkloadTemplate {
  let v = healthy.get(t);
  if (!v) healthy.set(t, (v = { ...t, failure: undefined }));
  return v;
}

/** "repo:1.4.2" → "repo:1.4.1"; undefined when the tag has no trailing number above zero. */
export function previousTag(image: string): string | undefined {
  const m = /^(.*:[^/]*?)(\d+)$/.exec(image);
  if (!m || m[2] === undefined || Number(m[2]) === 0) return undefined;
  return `${m[1]}${Number(m[2]) - 1}`;
}

/** The revision before the current one (previous image tag), or undefined when there is no sensible one. */
export function previousVariant(t: WorkloadTemplate): WorkloadTemplate | undefined {
  let v = previous.get(t);
  if (v === undefined) {
    const first = t.containers[0];
    const tag = first ? previousTag(first.image) : undefined;
    v = tag && first ? { ...t, failure: undefined, containers: [{ ...first, image: tag }, ...t.containers.slice(1)] } : null;
    previous.set(t, v);
  }
  return v ?? undefined;
}

/** The new revision of a rollout-stuck Deployment: the new image, failing as the failure's cause says. */
export function stuckVariant(t: WorkloadTemplate): WorkloadTemplate {
  let v = stuck.get(t);
  if (!v) {
    const f = t.failure;
    if (f?.mode !== 'rollout-stuck') throw new Error(`workload ${t.name} has no rollout-stuck failure`);
    const [first, ...rest] = t.containers;
    if (!first) throw new Error(`workload ${t.name} has no containers`);
    v = { ...t, containers: [{ ...first, image: f.image }, ...rest], failure: failureSchema.parse({ mode: f.cause }) };
    stuck.set(t, v);
  }
  return v;
}
