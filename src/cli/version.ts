// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The package version, as `krm version` prints it. */
export const PRODUCT_VERSION: string = pkg.version;
