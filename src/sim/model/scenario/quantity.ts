// SPDX-License-Identifier: Apache-2.0
// Kubernetes resource quantities ("500m", "2", "128Mi", "1.5G") as the API server accepts them, converted to the
// units the simulator computes with (cores, bytes), and back to the canonical strings the API server prints.
// Parsing is the product's one quantity parser (domain/quantity.ts); this module adds the simulator's formats.
import { isQuantity, parseQuantity as parseDomainQuantity } from '../../../domain/quantity.ts';

/** Parses a quantity to a plain number in base units (cores for cpu, bytes for memory). Throws on bad syntax. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const v = parseDomainQuantity(q.trim());
  if (v === undefined) throw new Error(`quantities must match the regular expression '${QUANTITY_RE.source}': "${q}"`);
  return v;
}

/** The quantity grammar of apimachinery's resource.Quantity, as printed in error messages. */
export const QUANTITY_RE = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|[numkKMGTPE]i?|)$/;

export { isQuantity };

/** CPU in cores to the canonical string: whole cores as "2", otherwise millicores as "250m". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const BINARY: readonly (readonly [string, number])[] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** Bytes to the largest binary suffix that represents them exactly ("384Mi"), else plain bytes. */
export function formatBytes(bytes: number): string {
  const b = Math.round(bytes);
  if (b === 0) return '0';
  for (const [s, mult] of BINARY) {
    if (b % mult === 0) return `${b / mult}${s}`;
  }
  return String(b);
}

/** Bytes as kibibytes, the form kubelets report node memory and ephemeral storage in ("8024304Ki"). */
export function formatKi(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}
