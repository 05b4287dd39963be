// SPDX-License-Identifier: Apache-2.0
// Entry of the read worker thread (read-offload.ts): a read-only connection to the store's file, and column queries
// run with the same code the store runs (query.ts) over its rows, the queued rows and the heads sent with each query.
import { serveCalls, type Answer } from '../runtime/worker-calls.ts';
import type { TierName } from '../domain/series.ts';
import { groupBy } from '../domain/maps.ts';
import { bulkRowReader, type BulkRowRead } from './bulk-rows.ts';
import { decodeChunk } from './chunk-codec.ts';
import { openDatabase } from './db.ts';
import { runColumnQuery, type QuerySources } from './query.ts';
import { columnBuffers, type QueuedRow, type ReadReply, type ReadRequest } from './read-offload.ts';

const NONE: readonly QueuedRow[] = [];

/** The worker's state: its connection's bulk reader, and the snapshot of the query being answered. */
interface Open {
  readonly sources: QuerySources;
  queued: Map<string, QueuedRow[]>;
  heads: Map<number, Uint8Array>;
}

let open: Open | undefined;

function opened(path: string, tiers: Open['sources']['tiers'], cacheSizeKiB: number | undefined): Open {
  // The writer checked the file at its start; a second check here would read the whole file again.
  const { db } = openDatabase({ path, readonly: true, integrityCheck: 'off', ...(cacheSizeKiB === undefined ? {} : { cacheSizeKiB }) });
  const state: { queued: Map<string, QueuedRow[]>; heads: Map<number, Uint8Array> } = { queued: new Map(), heads: new Map() };
  const rowsMany: BulkRowRead = bulkRowReader({ db, tiers, pending: (tier: TierName, id: number) => state.queued.get(`${tier}|${id}`) ?? NONE });
  const sources: QuerySources = {
    tiers,
    rowsMany,
    rows: (tier, id, range) => rowsMany(tier, [id], range).get(id) ?? [],
    head: (id) => {
      const bytes = state.heads.get(id);
      return bytes === undefined ? undefined : decodeChunk(bytes);
    },
    // Only queries with a tier come here (SqliteSampleStore.queryColumns): the tier is never chosen.
    earliest: () => {
      throw new Error('the read worker answers queries with a tier only');
    },
  };
  return Object.assign(state, { sources });
}

function handle(req: ReadRequest): Answer<ReadReply> {
  if (req.kind === 'open') {
    open = opened(req.path, req.tiers, req.cacheSizeKiB);
    return { reply: { kind: 'opened' } };
  }
  if (open === undefined) throw new Error('the read worker has no database open');
  open.queued = groupBy(req.queued, (row) => `${row.tier}|${row.seriesId}`);
  open.heads = new Map(req.heads);
  try {
    const { series, ...meta } = runColumnQuery(open.sources, req.query, req.series);
    const columns = series.map(({ series: _, ...c }) => c);
    return { reply: { kind: 'columns', meta, columns }, transfer: columnBuffers(columns) };
  } finally {
    open.queued = new Map();
    open.heads = new Map();
  }
}

serveCalls(handle);
