-- SPDX-License-Identifier: Apache-2.0
-- The sample log (write-ahead): every append writes its accepted samples as one compact row, so that flush() needs
-- to checkpoint only a round-robin slice of the heads per collection cycle instead of every head. open() replays
-- the rows after the checkpoints; rows older than the last complete round of checkpoints are deleted.
-- docs/store.md describes the row format and the rounds.
CREATE TABLE sample_log (
  id   INTEGER PRIMARY KEY,
  data BLOB    NOT NULL
);

-- A cut head leaves a tombstone in head_chunks (empty `data`): replay skips the series' logged samples at or
-- before `cut_until_ms` (already in a raw chunk). `cut_log_id` is the newest log row that can hold such samples;
-- the tombstone goes once the log is truncated past it. A later checkpoint of the series' next head overwrites
-- `data` and keeps these columns.
ALTER TABLE head_chunks ADD COLUMN cut_until_ms INTEGER;
ALTER TABLE head_chunks ADD COLUMN cut_log_id INTEGER;
