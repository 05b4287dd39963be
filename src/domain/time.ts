// SPDX-License-Identifier: Apache-2.0
// Durations in milliseconds, the unit of every timestamp in the project (epoch ms), named once.
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
