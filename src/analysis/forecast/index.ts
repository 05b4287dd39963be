// SPDX-License-Identifier: Apache-2.0
export { forecastSeries, columnInput, checkpointsFor, MIN_FORECAST_POINTS, type Forecast, type ForecastInput, type ForecastPoint, type RegularSeries } from './forecast.ts';
export { daysUntil, predictLinear, type Exhaustion } from './exhaustion.ts';
export { compoundGrowth, growthRate, ADVICE, TARGETS, type GrowthInput, type GrowthResult } from './compound-growth.ts';
export { capacityOutlook, capacityScopes, REQUESTS_FULL, type CapacityLevel, type CapacityOutlook, type CapacityScope, type ScopeSeries } from './capacity.ts';
export { toGrid, chooseStep, type Grid } from './grid.ts';
export { ModelMemory, REFIT_MS } from './model-memory.ts';
export { ForecastPath, type PathParts } from './path.ts';
