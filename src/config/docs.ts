// SPDX-License-Identifier: Apache-2.0
// Renders docs/config.md from the schema. scripts/gen-config-docs.ts writes it; a test fails when the checked-in
// file differs, so a schema change cannot ship without its documentation.
import { describeConfigSchema, type ConfigKey, type ConfigSchemaInfo } from './keys.ts';

const INTRO = `<!-- Generated from src/config/schema.ts by \`npx tsx scripts/gen-config-docs.ts\`. Do not edit by hand. -->
# Configuration

\`krm\` reads its configuration once, at start-up, and stops with exit code 2 and a one-line message naming the key
(\`KRM_CONFIG_INVALID\`, see [errors.md](errors.md)) when a value is invalid. \`krm config check\` prints the
effective configuration with secrets shown as \`***\`.

Sources, from lowest to highest precedence:

1. the defaults below;
2. \`.env\` in the working directory (\`KEY=VALUE\` lines, \`#\` comments, single or double quotes);
3. the YAML file named by \`--config\` or \`KRM_CONFIG\` (for example \`/app/config/krm.yaml\`), shaped like the
   key paths (\`collection: { interval: 30s }\`); unknown keys are errors;
4. environment variables, named in the tables (\`KRM_\` plus the key path unless stated); unknown \`KRM_*\`
   variables are ignored and listed as a warning by \`krm config check\`; an empty variable counts as unset;
5. command-line flags: the flags in the tables, and \`--set key=value\` (repeatable) for any key.

Values from the environment, \`.env\` and flags are text: numbers and booleans (\`true\`/\`false\`, \`yes\`/\`no\`,
\`on\`/\`off\`, \`1\`/\`0\`) are converted, and lists are comma-separated.

**Durations** are a number and a unit, optionally repeated (\`90s\`, \`1h30m\`): \`ms\`, \`s\`, \`m\` (minutes, never
months), \`h\`, \`d\`, \`w\`, \`mo\` (30 days), \`y\` (365 days). A bare number is rejected, since it could mean
seconds or milliseconds.

**Secrets** (marked below) are never printed or logged. Any logged field whose name, ignoring case, \`-\` and
\`_\`, contains \`password\`, \`token\`, \`secret\`, \`credential\`, \`authorization\`, \`cookie\`, \`apikey\`,
\`privatekey\`, \`accesskey\`, \`signingkey\` or \`webhookurl\`, or is exactly \`key\`, and the password part of
any URL, are redacted too.

A Kubernetes Service named \`krm\` would make the kubelet inject \`KRM_PORT=tcp://…\`; name the Service otherwise or
set \`enableServiceLinks: false\`.
`;

const code = (text: string): string => `\`${text}\``;
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function typeText(key: ConfigKey): string {
  if (key.kind === 'enum' && key.values) return key.values.map(code).join(', ');
  if (key.kind === 'list') return 'list';
  return key.kind;
}

function defaultText(key: ConfigKey): string {
  const v = key.defaultValue;
  if (v === undefined) return '—';
  if (Array.isArray(v)) return v.length === 0 ? 'empty' : code(v.join(','));
  return code(String(v));
}

function keyRow(key: ConfigKey): string {
  const flag = key.flag === undefined ? '' : code(`--${key.flag}`);
  const cells = [code(key.id), code(key.env), flag, typeText(key), defaultText(key), key.secret ? 'yes' : '', key.description];
  return `| ${cells.map(cell).join(' | ')} |`;
}

/** Renders the configuration reference (Markdown) for a schema description (ConfigSchema's by default). */
export function renderConfigDocs(info: ConfigSchemaInfo = describeConfigSchema()): string {
  const parts = [INTRO];
  for (const section of info.sections) {
    const keys = info.keys.filter((k) => k.path.slice(0, -1).join('.') === section.id);
    if (keys.length === 0) continue;
    const heading = section.path.length === 1 ? '##' : '###';
    parts.push(
      `${heading} ${section.id}\n\n${section.description}\n\n` +
        '| key | environment | flag | type | default | secret | description |\n|---|---|---|---|---|---|---|\n' +
        `${keys.map(keyRow).join('\n')}\n`,
    );
  }
  return `${parts.join('\n')}`;
}

/** Markers of the generated configuration section in README.md. */
export const README_CONFIG_BEGIN = '<!-- config-reference:begin (generated from src/config/schema.ts by `npm run docs:config`) -->';
export const README_CONFIG_END = '<!-- config-reference:end -->';

function readmeRow(key: ConfigKey): string {
  const name = key.secret ? `${code(key.id)} (secret)` : code(key.id);
  return `| ${[name, code(key.env), defaultText(key), key.description].map(cell).join(' | ')} |`;
}

/**
 * The README's short configuration reference: one table of every key with its environment variable and default.
 * docs/config.md has the full reference (flags, types, sections).
 */
export function renderReadmeConfig(info: ConfigSchemaInfo = describeConfigSchema()): string {
  const rows = info.keys.map(readmeRow).join('\n');
  return `${README_CONFIG_BEGIN}\n| key | environment | default | description |\n|---|---|---|---|\n${rows}\n${README_CONFIG_END}`;
}

/** README text with its generated configuration section replaced; throws when the markers are missing. */
export function withReadmeConfig(readme: string, info?: ConfigSchemaInfo): string {
  const begin = readme.indexOf(README_CONFIG_BEGIN);
  const end = readme.indexOf(README_CONFIG_END);
  if (begin < 0 || end < begin) throw new Error('README.md lacks the config-reference markers');
  return readme.slice(0, begin) + renderReadmeConfig(info) + readme.slice(end + README_CONFIG_END.length);
}
