-- SPDX-License-Identifier: Apache-2.0
-- Findings of the analyses (issue 5, REQUIREMENTS §3.0) and the latest rightsizing recommendations.
-- Timestamps are Unix epoch milliseconds (UTC).

-- One row per occurrence of a finding: opened by the first run that reports it, refreshed by every run that
-- reports it again, resolved after two consecutive runs of its analysis without it. A finding that comes back after
-- being resolved opens a new row. The columns filtered on are columns; the rest of the finding is JSON in `body`.
CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  cluster       TEXT    NOT NULL,
  fingerprint   TEXT    NOT NULL,
  analysis      TEXT    NOT NULL,
  rule          TEXT    NOT NULL,
  entity_kind   TEXT    NOT NULL,
  namespace     TEXT    NOT NULL DEFAULT '',
  name          TEXT    NOT NULL,
  container     TEXT,
  severity      INTEGER NOT NULL, -- rank: 0 info … 4 critical
  state         TEXT    NOT NULL, -- open | resolved
  missed_runs   INTEGER NOT NULL DEFAULT 0,
  first_ms      INTEGER NOT NULL,
  last_ms       INTEGER NOT NULL,
  resolved_ms   INTEGER,
  body          TEXT    NOT NULL
);
CREATE UNIQUE INDEX findings_open ON findings (fingerprint) WHERE state = 'open';
CREATE INDEX findings_run ON findings (cluster, analysis, state);
CREATE INDEX findings_newest ON findings (last_ms, id);
CREATE INDEX findings_severity ON findings (severity, last_ms, id);
CREATE INDEX findings_namespace ON findings (cluster, namespace, last_ms);

-- The latest recommendation per workload container and strategy; a rightsizing run replaces a cluster's rows.
CREATE TABLE recommendations (
  cluster       TEXT    NOT NULL,
  key           TEXT    NOT NULL, -- namespace/kind/name/container/strategy, the listing order
  namespace     TEXT    NOT NULL,
  workload_kind TEXT    NOT NULL,
  workload_name TEXT    NOT NULL,
  container     TEXT    NOT NULL,
  strategy      TEXT    NOT NULL,
  detected_ms   INTEGER NOT NULL,
  body          TEXT    NOT NULL,
  PRIMARY KEY (cluster, key)
);
CREATE INDEX recommendations_workload ON recommendations (cluster, namespace, workload_name);
