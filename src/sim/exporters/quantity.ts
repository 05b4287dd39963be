// SPDX-License-Identifier: Apache-2.0
// Kubernetes resource quantities ("500m", "1Gi", "2.5e3") as plain numbers, and the canonical strings
// metrics-server writes for usage ("123456n", "52428Ki"). Parsing is the product's one quantity parser
// (domain/quantity.ts); the metrics-server formats are the exporters' own.

export { parseQuantity } from '../../domain/quantity.ts';

const CPU_SUFFIXES = ['n', 'u', 'm'] as const;

/**
 * CPU usage as metrics-server writes it: resource.NewScaledQuantity(nanocores, -9) in canonical form, so trailing
 * groups of three zeros move into the suffix (`1966817n`, `250m`, `2`).
 */
export function formatCpuNanoCores(nanoCores: number): string {
  let value = Math.max(0, Math.round(nanoCores));
  if (value === 0) return '0';
  for (const suffix of CPU_SUFFIXES) {
    if (value % 1000 !== 0) return `${value}${suffix}`;
    value /= 1000;
  }
  return String(value);
}

const BINARY_NAMES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/** Memory as metrics-server writes it: resource.NewQuantity(bytes, BinarySI), e.g. `52428Ki`, `17Mi`, `1000`. */
export function formatBinaryBytes(bytes: number): string {
  let value = Math.max(0, Math.round(bytes));
  if (value === 0) return '0';
  let suffix = '';
  for (const name of BINARY_NAMES) {
    if (value % 1024 !== 0) break;
    value /= 1024;
    suffix = name;
  }
  return `${value}${suffix}`;
}
