// SPDX-License-Identifier: Apache-2.0
// Kubernetes resource quantities ("500m", "2", "128Mi", "1.5G") as the API server accepts them, converted to the
// units the simulator computes with (cores, bytes), and back to the canonical strings the API server prints.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity grammar of apimachinery's resource.Quantity (sign, decimal, exponent or suffix). */
export const QUANTITY_RE = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|[numkKMGTPE]i?|)$/;

/** Parses a quantity to a plain number in base units (cores for cpu, bytes for memory). Throws on bad syntax. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = QUANTITY_RE.exec(q.trim());
  const base = m?.[1];
  const suffix = m?.[2] ?? '';
  if (base === undefined || Number.isNaN(Number(base))) throw new Error(`quantities must match the regular expression '${QUANTITY_RE.source}': "${q}"`);
  if (/^[eE][+-]?\d+$/.test(suffix)) return Number(base) * 10 ** Number(suffix.slice(1));
  const mult = SUFFIX[suffix];
  if (mult === undefined) throw new Error(`unknown quantity suffix in "${q}"`);
  return Number(base) * mult;
}

/** True when the string is a valid quantity. */
export function isQuantity(q: string): boolean {
  try {
    parseQuantity(q);
    return true;
  } catch {
    // a syntax error is the answer here, not a failure
    return false;
  }
}

/** CPU in cores to the canonical string: whole cores as "2", otherwise millicores as "250m". */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const BINARY = ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const;

/** Bytes to the largest binary suffix that represents them exactly ("384Mi"), else plain bytes. */
export function formatBytes(bytes: number): string {
  const b = Math.round(bytes);
  if (b === 0) return '0';
  for (const s of BINARY) {
    const mult = SUFFIX[s] as number;
    if (b % mult === 0) return `${b / mult}${s}`;
  }
  return String(b);
}

/** Bytes as kibibytes, the form kubelets report node memory and ephemeral storage in ("8024304Ki"). */
export function formatKi(bytes: number): string {
  return `${Math.floor(bytes / 1024)}Ki`;
}
