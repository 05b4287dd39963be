// SPDX-License-Identifier: Apache-2.0
// The ready-to-apply strategic merge patch of a workload's container resources. A limit the recommendation drops
// is set to null, which is how a strategic merge patch deletes a key.
import { stringify } from 'yaml';
import type { Resources } from './types.ts';

export function cpuQuantity(m: number): string {
  return `${Math.round(m)}m`;
}

export function memoryQuantity(bytes: number): string {
  return `${Math.ceil(bytes / 1_048_576)}Mi`;
}

type Section = Record<string, string | null>;

function render(container: string, resources: Record<string, Section>): string {
  return stringify({ spec: { template: { spec: { containers: [{ name: container, resources }] } } } });
}

/** A quantity the YAML writer prints as is (no quotes, no folding). */
const PLAIN = /^[0-9]+(?:m|Mi)$/;
/** The document down to `resources:` per container name: the writer decides how a name is quoted. */
const HEADS = new Map<string, string>();
const MAX_HEADS = 1000;

/** The document down to `resources:`; undefined when the writer does not end it as expected (`resources: {}`). */
function headOf(container: string): string | undefined {
  let head = HEADS.get(container);
  if (head === undefined) {
    const empty = render(container, {});
    if (!empty.endsWith('          resources: {}\n')) return undefined;
    head = `${empty.slice(0, empty.length - ' {}\n'.length)}\n`;
    if (HEADS.size >= MAX_HEADS) HEADS.clear();
    HEADS.set(container, head);
  }
  return head;
}

/**
 * The patch as the YAML writer prints it. The writer took a fifth of a recommendation's time, so the resources
 * block (plain quantities at fixed indents) is written here and only the head, where the name is, comes from it
 * (once per name); anything else, such as an empty block, goes to the writer.
 */
function patchText(container: string, resources: Record<string, Section>): string {
  const sections = Object.entries(resources);
  const plain = sections.length > 0 && sections.every(([, s]) => Object.values(s).every((v) => v === null || PLAIN.test(v)));
  const head = plain ? headOf(container) : undefined;
  if (head === undefined) return render(container, resources);
  let text = head;
  for (const [name, section] of sections) {
    text += `            ${name}:\n`;
    for (const [key, value] of Object.entries(section)) text += `              ${key}: ${value ?? 'null'}\n`;
  }
  return text;
}

export function resourcesPatch(container: string, rec: Resources, current: Resources): string {
  const requests: Record<string, string> = {};
  const limits: Record<string, string | null> = {};
  if (rec.cpuRequest !== undefined) requests['cpu'] = cpuQuantity(rec.cpuRequest);
  if (rec.memRequest !== undefined) requests['memory'] = memoryQuantity(rec.memRequest);
  if (rec.cpuLimit !== undefined) limits['cpu'] = cpuQuantity(rec.cpuLimit);
  else if (current.cpuLimit !== undefined && rec.cpuRequest !== undefined) limits['cpu'] = null;
  if (rec.memLimit !== undefined) limits['memory'] = memoryQuantity(rec.memLimit);
  const resources: Record<string, Section> = {};
  if (Object.keys(requests).length > 0) resources['requests'] = requests;
  if (Object.keys(limits).length > 0) resources['limits'] = limits;
  return patchText(container, resources);
}
