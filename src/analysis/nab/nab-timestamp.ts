// SPDX-License-Identifier: Apache-2.0
// NAB timestamps are naive "YYYY-MM-DD HH:MM:SS[.ffffff]" strings; NAB treats them as UTC-free wall times, and
// reading them all as UTC keeps their order and spacing, which is all the scorer needs.

const NAB_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z?$/;

/** Parses a NAB (or ISO-8601-like) timestamp to epoch milliseconds; a bare number is read as epoch seconds when
 * below 1e11 and as milliseconds otherwise. Returns NaN when the text is not a timestamp. */
export function parseNabTimestamp(text: string): number {
  const trimmed = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return Math.abs(n) < 1e11 ? n * 1000 : n;
  }
  const m = NAB_TIMESTAMP.exec(trimmed);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN;
  return Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s ?? 0), ms);
}
