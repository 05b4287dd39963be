-- SPDX-License-Identifier: Apache-2.0
-- Initial schema of the history store. Append-only: change the schema with a new numbered file, never by editing
-- this one (the runner checks a checksum). Timestamps are Unix epoch milliseconds (UTC) in *_ms columns.
-- docs/store.md describes the chunk formats stored in the `data` blobs.

-- Schema version, last rotation, last integrity check, last backup.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Label dictionary: one row per (cluster, entity kind, entity key, metric), so chunk rows stay narrow.
CREATE TABLE series (
  id         INTEGER PRIMARY KEY,
  cluster    TEXT    NOT NULL,
  kind       TEXT    NOT NULL,
  entity     TEXT    NOT NULL,
  metric     TEXT    NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (cluster, kind, entity, metric)
);

-- Raw samples: one compressed chunk per series and window (delta-of-delta timestamps, scaled-integer or XOR
-- values). A rowid table keeps inserts append-only; the two indexes serve range reads and retention.
CREATE TABLE chunks_raw (
  series_id INTEGER NOT NULL REFERENCES series (id),
  start_ms  INTEGER NOT NULL, -- first sample
  end_ms    INTEGER NOT NULL, -- last sample
  count     INTEGER NOT NULL, -- samples
  data      BLOB    NOT NULL
);
CREATE INDEX chunks_raw_series ON chunks_raw (series_id, start_ms);
CREATE INDEX chunks_raw_end ON chunks_raw (end_ms);

-- Rollups: one row per series and row span (5m: 1 day, 1h: 7 days, 1d: 91 days) once compacted; live cuts write
-- partial rows (partial = 1) that the rotation job merges. Buckets keep count, min, max, sum and a sketch.
CREATE TABLE rollup_5m (
  series_id INTEGER NOT NULL REFERENCES series (id),
  start_ms  INTEGER NOT NULL, -- first bucket start
  end_ms    INTEGER NOT NULL, -- last bucket start
  count     INTEGER NOT NULL, -- buckets
  partial   INTEGER NOT NULL DEFAULT 0,
  data      BLOB    NOT NULL
);
CREATE INDEX rollup_5m_series ON rollup_5m (series_id, start_ms);
CREATE INDEX rollup_5m_end ON rollup_5m (end_ms);
CREATE INDEX rollup_5m_partial ON rollup_5m (start_ms) WHERE partial = 1;

CREATE TABLE rollup_1h (
  series_id INTEGER NOT NULL REFERENCES series (id),
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  partial   INTEGER NOT NULL DEFAULT 0,
  data      BLOB    NOT NULL
);
CREATE INDEX rollup_1h_series ON rollup_1h (series_id, start_ms);
CREATE INDEX rollup_1h_end ON rollup_1h (end_ms);
CREATE INDEX rollup_1h_partial ON rollup_1h (start_ms) WHERE partial = 1;

CREATE TABLE rollup_1d (
  series_id INTEGER NOT NULL REFERENCES series (id),
  start_ms  INTEGER NOT NULL,
  end_ms    INTEGER NOT NULL,
  count     INTEGER NOT NULL,
  partial   INTEGER NOT NULL DEFAULT 0,
  data      BLOB    NOT NULL
);
CREATE INDEX rollup_1d_series ON rollup_1d (series_id, start_ms);
CREATE INDEX rollup_1d_end ON rollup_1d (end_ms);
CREATE INDEX rollup_1d_partial ON rollup_1d (start_ms) WHERE partial = 1;

-- Checkpoints of the in-memory head chunks written by flush(), reloaded at open; a row goes when its chunk is cut.
CREATE TABLE head_chunks (
  series_id       INTEGER PRIMARY KEY REFERENCES series (id),
  window_start_ms INTEGER NOT NULL,
  data            BLOB    NOT NULL
);

-- Inventory history (sketch; filled by the inventory collector): first, last and deletion time per object.
CREATE TABLE objects (
  cluster       TEXT    NOT NULL,
  uid           TEXT    NOT NULL,
  kind          TEXT    NOT NULL,
  namespace     TEXT    NOT NULL DEFAULT '',
  name          TEXT    NOT NULL,
  owner_kind    TEXT,
  owner_name    TEXT,
  labels_json   TEXT,
  spec_hash     TEXT,
  first_seen_ms INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  deleted_ms    INTEGER,
  PRIMARY KEY (cluster, uid)
) WITHOUT ROWID;
CREATE INDEX objects_name ON objects (cluster, kind, namespace, name);

-- Kubernetes Events, deduplicated by uid: count and last time are updated in place (REQUIREMENTS §1.7).
CREATE TABLE events (
  cluster        TEXT    NOT NULL,
  uid            TEXT    NOT NULL,
  namespace      TEXT    NOT NULL DEFAULT '',
  involved_kind  TEXT    NOT NULL,
  involved_name  TEXT    NOT NULL,
  involved_uid   TEXT,
  type           TEXT    NOT NULL, -- Normal | Warning
  reason         TEXT    NOT NULL,
  message        TEXT    NOT NULL DEFAULT '',
  source         TEXT,
  count          INTEGER NOT NULL DEFAULT 1,
  first_ms       INTEGER NOT NULL,
  last_ms        INTEGER NOT NULL,
  PRIMARY KEY (cluster, uid)
) WITHOUT ROWID;
CREATE INDEX events_last ON events (last_ms);
CREATE INDEX events_involved ON events (cluster, namespace, involved_name);

-- Container terminations (the OOM history): reason, exit code and the memory limit in force.
CREATE TABLE terminations (
  cluster          TEXT    NOT NULL,
  namespace        TEXT    NOT NULL,
  pod              TEXT    NOT NULL,
  container        TEXT    NOT NULL,
  finished_ms      INTEGER NOT NULL,
  reason           TEXT    NOT NULL,
  exit_code        INTEGER,
  restart_count    INTEGER,
  memory_limit_b   INTEGER,
  PRIMARY KEY (cluster, namespace, pod, container, finished_ms)
) WITHOUT ROWID;
