// SPDX-License-Identifier: Apache-2.0
// Reading scenario files: a built-in name ("demo", "scale-150k") resolves to the repository's scenarios/ folder,
// anything else is a path. YAML is parsed with the `yaml` package (YAML 1.2, so "on"/"no" stay strings).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseScenario, ScenarioError, type Scenario } from './schema.ts';

const BUILTIN_DIR = fileURLToPath(new URL('../../../../scenarios/', import.meta.url));

/** Names of the built-in scenarios (files in scenarios/). */
export function listBuiltinScenarios(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Resolves a built-in name to its file, or returns the argument as a path. */
export function resolveScenarioPath(nameOrPath: string): string {
  if (/^[a-z0-9][-a-z0-9]*$/.test(nameOrPath)) {
    const builtin = `${BUILTIN_DIR}${nameOrPath}.yaml`;
    if (existsSync(builtin)) return builtin;
  }
  return nameOrPath;
}

/** Parses scenario YAML (or JSON) text; `source` names the file in error messages. */
export function parseScenarioText(text: string, source = 'scenario'): Scenario {
  let doc: unknown;
  try {
    doc = parse(text, { prettyErrors: true });
  } catch (err) {
    throw new ScenarioError(`${source} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  return parseScenario(doc, source);
}

/** Loads and validates a scenario by built-in name or file path. Throws ScenarioError. */
export function loadScenario(nameOrPath: string): Scenario {
  const path = resolveScenarioPath(nameOrPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const known = listBuiltinScenarios().join(', ');
    throw new ScenarioError(`scenario "${nameOrPath}" is neither a built-in scenario (${known}) nor a readable file`, { cause: err, code: 'KRM_SCENARIO_NOT_FOUND' });
  }
  return parseScenarioText(text, path);
}
