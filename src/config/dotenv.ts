// SPDX-License-Identifier: Apache-2.0
// A small `.env` reader: `KEY=VALUE` per line, `#` comments, an optional `export ` prefix, single quotes (literal)
// and double quotes (with \n, \r, \t, \" and \\ escapes). Multi-line values are not supported and are reported
// as errors rather than half-read.
import { ConfigError } from '../errors/app-error.ts';

const LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function fail(source: string, lineNo: number, what: string): never {
  throw new ConfigError('KRM_CONFIG_INVALID', `${source} line ${lineNo}: ${what}`);
}

function readDoubleQuoted(raw: string): { value: string; rest: string } | undefined {
  let value = '';
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '"') return { value, rest: raw.slice(i + 1) };
    if (c === '\\' && i + 1 < raw.length) {
      const next = raw[i + 1] as string;
      value += ESCAPES[next] ?? `\\${next}`;
      i++;
    } else {
      value += c;
    }
  }
  return undefined;
}

function readValue(raw: string, source: string, lineNo: number): string {
  const quote = raw[0];
  if (quote !== '"' && quote !== "'") {
    // An unquoted value ends at a comment that follows whitespace: `A=b # note` is "b", `A=b#c` is "b#c".
    return raw.replace(/\s+#.*$/, '').trimEnd();
  }
  let read: { value: string; rest: string } | undefined;
  if (quote === '"') {
    read = readDoubleQuoted(raw);
  } else {
    const end = raw.indexOf("'", 1);
    read = end < 0 ? undefined : { value: raw.slice(1, end), rest: raw.slice(end + 1) };
  }
  if (read === undefined) fail(source, lineNo, 'unterminated quoted value (multi-line values are not supported)');
  if (!/^\s*(#.*)?$/.test(read.rest)) fail(source, lineNo, 'unexpected text after the closing quote');
  return read.value;
}

/**
 * Parses the text of a `.env` file into variables. Later lines win over earlier ones. `source` names the file in
 * error messages, which carry the line number.
 * @throws ConfigError (`KRM_CONFIG_INVALID`) on a line that is not `KEY=VALUE`, a comment or blank.
 */
export function parseDotenv(text: string, source: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = LINE.exec(trimmed);
    if (!m) fail(source, index + 1, 'expected KEY=VALUE');
    vars[m[1] as string] = readValue(m[2] as string, source, index + 1);
  });
  return vars;
}
