// SPDX-License-Identifier: Apache-2.0
// Kubernetes resource quantities ("500m", "1Gi", "2.5e3") as plain numbers, and the canonical strings
// metrics-server writes for usage ("123456n", "52428Ki"). Kept local to the exporters until a shared
// domain/quantity.ts exists; the exporters only need the numeric value, never the original format.

/** Decimal suffixes as powers of ten. */
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const BINARY_SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The numeric value of a quantity string (cores for CPU, bytes for memory), or undefined if malformed. */
export function parseQuantity(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  const suffix = m[3] ?? '';
  const binary = BINARY_SUFFIX[suffix];
  if (binary !== undefined) return base * binary;
  const exp = m[2] !== undefined ? Number(m[2].slice(1)) : DECIMAL_EXPONENT[suffix];
  if (exp === undefined) return undefined;
  // Dividing by an exact power of ten keeps "100n" at 1e-7; multiplying by 1e-9 would give 1.0000000000000001e-7.
  return exp < 0 ? base / 10 ** -exp : base * 10 ** exp;
}

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
