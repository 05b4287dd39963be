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

export function resourcesPatch(container: string, rec: Resources, current: Resources): string {
  const requests: Record<string, string> = {};
  const limits: Record<string, string | null> = {};
  if (rec.cpuRequest !== undefined) requests['cpu'] = cpuQuantity(rec.cpuRequest);
  if (rec.memRequest !== undefined) requests['memory'] = memoryQuantity(rec.memRequest);
  if (rec.cpuLimit !== undefined) limits['cpu'] = cpuQuantity(rec.cpuLimit);
  else if (current.cpuLimit !== undefined && rec.cpuRequest !== undefined) limits['cpu'] = null;
  if (rec.memLimit !== undefined) limits['memory'] = memoryQuantity(rec.memLimit);
  const resources: Record<string, object> = {};
  if (Object.keys(requests).length > 0) resources['requests'] = requests;
  if (Object.keys(limits).length > 0) resources['limits'] = limits;
  return stringify({ spec: { template: { spec: { containers: [{ name: container, resources }] } } } });
}
