// SPDX-License-Identifier: Apache-2.0
// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) as plain numbers. The grammar is
// `<signedNumber><suffix>` where the suffix is a binary SI suffix (Ki … Ei, powers of 1024), a decimal SI suffix
// (n u m "" k M G T P E, powers of 1000) or a decimal exponent (`e3`, `E-2`). Note the case traps the API server
// enforces: `m` is milli and `M` is mega, `k` is kilo and `K` alone is invalid, `E` alone is exa while `E3` is an
// exponent. Numbers are IEEE doubles: exact for every integer byte count up to 2^53 and for millicores, which is all
// the analyses need (the API server's own int64 milli-value has the same range).

/** Powers of ten of the decimal SI suffixes. */
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Powers of two of the binary SI suffixes. */
const BINARY_POWER: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// One number (digits with an optional fraction, or a bare fraction), then either an exponent or a suffix.
// The exponent alternative is tried first so that `1E3` is 1000 and `1E` stays one exa.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/**
 * The value of a quantity string scaled by `10^shift`, or undefined when the text is not a valid quantity.
 * The decimal exponent is folded into the number's text (`"1.001"` at shift 3 becomes `"1.001e3"`), so that the
 * runtime's correctly rounded decimal parse yields 1001 exactly, where `1.001 * 1000` would give 1000.9999999999999.
 * Binary suffixes multiply by a power of two, which is exact.
 */
function parseScaled(text: string, shift: number): number | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const exponentText = m[2];
  const suffix = m[3] ?? '';
  const binaryPower = BINARY_POWER[suffix] ?? 0;
  const decimal = exponentText !== undefined ? Number(exponentText) : (DECIMAL_EXPONENT[suffix] ?? 0);
  return Number(`${m[1]}e${decimal + shift}`) * 2 ** binaryPower;
}

/**
 * Parses a Kubernetes quantity to its plain numeric value: cores for CPU (`"250m"` → 0.25), bytes for memory and
 * storage (`"128Mi"` → 134217728), a count for `pods`.
 * @returns undefined for undefined input or text that is not a valid quantity (never NaN).
 */
export function parseQuantity(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseScaled(text, 0);
}

/**
 * Parses a CPU quantity to millicores (`"250m"` → 250, `"2"` → 2000, `"100u"` → 0.1).
 * @returns undefined for undefined or invalid input.
 */
export function parseCpuMillicores(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseScaled(text, 3);
}

/**
 * Parses a memory or storage quantity to bytes (`"1Gi"` → 1073741824, `"5M"` → 5000000). A fraction of a byte
 * (`"0.5"`) is returned as is; the API server rounds such values up when it stores an object.
 * @returns undefined for undefined or invalid input.
 */
export function parseBytes(text: string | undefined): number | undefined {
  return parseQuantity(text);
}

/** True when `text` is a valid Kubernetes quantity. */
export function isQuantity(text: string): boolean {
  return QUANTITY.test(text.trim());
}

const CPU_STEPS = [
  { suffix: 'm', perCore: 1e3 },
  { suffix: 'u', perCore: 1e6 },
  { suffix: 'n', perCore: 1e9 },
] as const;

/**
 * Formats a CPU amount in cores as the shortest exact Kubernetes quantity: whole cores as `"2"`, otherwise
 * millicores (`0.25` → `"250m"`), falling back to micro- and nanocores below a millicore (`0.0001` → `"100u"`).
 * Values finer than a nanocore are rounded to whole nanocores, the API server's own resolution.
 */
export function formatCpuCores(cores: number): string {
  if (Number.isInteger(cores)) return String(cores);
  for (const step of CPU_STEPS) {
    const scaled = cores * step.perCore;
    // Tolerate float noise such as 0.1 + 0.2 = 0.30000000000000004 cores → "300m".
    const rounded = Math.round(scaled);
    if (rounded !== 0 && Math.abs(scaled - rounded) <= 1e-9 * Math.abs(scaled)) return `${rounded}${step.suffix}`;
  }
  return `${Math.round(cores * 1e9)}n`;
}

/** Formats millicores as a Kubernetes quantity (`250` → `"250m"`, `2000` → `"2"`). */
export function formatCpuMillicores(millicores: number): string {
  return formatCpuCores(millicores / 1000);
}

const BINARY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;

/**
 * Formats a byte count as the shortest exact binary quantity, with the largest binary suffix that divides it
 * (`134217728` → `"128Mi"`, `3072` → `"3Ki"`). Counts that are not a multiple of 1024 stay plain integers
 * (`1536` → `"1536"`, never the lossy-looking `"1.5Ki"`). Fractions of a byte are rounded.
 */
export function formatBytes(bytes: number): string {
  let value = Math.round(bytes);
  if (value === 0) return '0';
  let suffix = '';
  for (const next of BINARY_SUFFIXES) {
    if (value % 1024 !== 0) break;
    value /= 1024;
    suffix = next;
  }
  return `${value}${suffix}`;
}
