// SPDX-License-Identifier: Apache-2.0
// Paths of the real components `npm test` put in place (scripts/tools.mjs); a missing tool fails the test that
// needs it with a clear message rather than skipping it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function tool(envName: string, fallback: string): string {
  const path = process.env[envName] ?? fallback;
  if (!existsSync(path)) throw new Error(`${envName}: ${path} is missing; run the tests through \`npm test\`, which installs it`);
  return path;
}

export const kubectlPath = (): string => tool('KRM_KUBECTL', `${ROOT}.tools/kubectl/kubectl`);
export const prometheusPath = (): string => tool('KRM_PROMETHEUS', '/usr/bin/prometheus');
export const promtoolPath = (): string => tool('KRM_PROMTOOL', '/usr/bin/promtool');
export const repoRoot = ROOT;
