-- SPDX-License-Identifier: Apache-2.0
-- Object and event history (issue 4): deduplicated Kubernetes Events, pod lifecycle entries and the history of pods
-- and nodes. Replaces the `objects`, `events` and `terminations` sketches of 0001, which nothing ever wrote.
-- Timestamps are Unix epoch milliseconds (UTC). docs/store.md describes the tables.

DROP TABLE objects;
DROP TABLE events;
DROP TABLE terminations;

-- One row per occurrence series: the same involved object, type, reason, reporter and message (the Event's
-- dedupe key), folded across the Event objects that carry it while they follow each other within a gap; a series
-- that comes back after a longer quiet period starts a new row. `count` sums the occurrences of every object.
CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  cluster       TEXT    NOT NULL,
  dedupe_key    TEXT    NOT NULL,
  namespace     TEXT    NOT NULL DEFAULT '',
  involved_kind TEXT    NOT NULL DEFAULT '',
  involved_name TEXT    NOT NULL DEFAULT '',
  involved_uid  TEXT,
  field_path    TEXT,
  type          TEXT    NOT NULL, -- Normal | Warning
  reason        TEXT    NOT NULL DEFAULT '',
  message       TEXT    NOT NULL DEFAULT '',
  source        TEXT,             -- reporting component
  count         INTEGER NOT NULL,
  first_ms      INTEGER NOT NULL,
  last_ms       INTEGER NOT NULL
);
CREATE INDEX events_series ON events (cluster, dedupe_key, last_ms);
CREATE INDEX events_last ON events (last_ms, id);
-- Newest-first pages of /api/v1/events, for the whole cluster and per namespace, without sorting the table.
CREATE INDEX events_page ON events (cluster, last_ms, id);
CREATE INDEX events_ns_page ON events (cluster, namespace, last_ms, id);
CREATE INDEX events_involved ON events (cluster, namespace, involved_name, last_ms);

-- The Event objects behind each row, by uid, with the count already added to it: an updated object adds only
-- its increase.
CREATE TABLE event_objects (
  cluster  TEXT    NOT NULL,
  uid      TEXT    NOT NULL,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  count    INTEGER NOT NULL,
  last_ms  INTEGER NOT NULL,
  PRIMARY KEY (cluster, uid)
) WITHOUT ROWID;
CREATE INDEX event_objects_event ON event_objects (event_id);

-- Pod lifecycle: restarts, terminations (reason, exit code: the OOM history), evictions, scheduling failures.
-- `dedupe_key` identifies the occurrence across restarts of the monitor, so rewriting an entry is a no-op.
CREATE TABLE pod_lifecycle (
  id             INTEGER PRIMARY KEY,
  cluster        TEXT    NOT NULL,
  dedupe_key     TEXT    NOT NULL,
  type           TEXT    NOT NULL, -- restart | termination | eviction | scheduling-failure
  namespace      TEXT    NOT NULL,
  pod            TEXT    NOT NULL,
  pod_uid        TEXT    NOT NULL,
  node           TEXT,
  workload_kind  TEXT    NOT NULL,
  workload_name  TEXT    NOT NULL,
  container      TEXT,
  reason         TEXT,
  message        TEXT,
  exit_code      INTEGER,
  restart_count  INTEGER,
  memory_limit_b INTEGER, -- the container's limit when the entry was recorded
  at_ms          INTEGER NOT NULL,
  UNIQUE (cluster, dedupe_key)
);
CREATE INDEX pod_lifecycle_at ON pod_lifecycle (at_ms, id);
CREATE INDEX pod_lifecycle_page ON pod_lifecycle (cluster, at_ms, id);
CREATE INDEX pod_lifecycle_ns_page ON pod_lifecycle (cluster, namespace, at_ms, id);
CREATE INDEX pod_lifecycle_pod ON pod_lifecycle (cluster, namespace, pod, at_ms);
CREATE INDEX pod_lifecycle_workload ON pod_lifecycle (cluster, namespace, workload_kind, workload_name, at_ms);

-- Pods, kept after deletion: requests and limits per container (JSON) and their sums, so that the cost of pods that
-- no longer exist and rightsizing across rollouts need no live object.
CREATE TABLE pod_history (
  cluster        TEXT    NOT NULL,
  uid            TEXT    NOT NULL,
  namespace      TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  workload_kind  TEXT    NOT NULL,
  workload_name  TEXT    NOT NULL,
  node           TEXT,
  phase          TEXT    NOT NULL,
  qos_class      TEXT,
  priority_class TEXT,
  containers     TEXT    NOT NULL, -- JSON array of RecordedContainer
  cpu_request_m  INTEGER NOT NULL,
  cpu_limit_m    INTEGER NOT NULL,
  mem_request_b  INTEGER NOT NULL,
  mem_limit_b    INTEGER NOT NULL,
  created_ms     INTEGER,
  started_ms     INTEGER,
  finished_ms    INTEGER,
  first_seen_ms  INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  deleted_ms     INTEGER,
  PRIMARY KEY (cluster, uid)
) WITHOUT ROWID;
CREATE INDEX pod_history_workload ON pod_history (cluster, namespace, workload_kind, workload_name, first_seen_ms);
CREATE INDEX pod_history_seen ON pod_history (first_seen_ms, uid);
CREATE INDEX pod_history_deleted ON pod_history (deleted_ms) WHERE deleted_ms IS NOT NULL;

-- Nodes, kept after deletion: capacity, allocatable, instance type and zone for cost and capacity history.
CREATE TABLE node_history (
  cluster        TEXT    NOT NULL,
  uid            TEXT    NOT NULL,
  name           TEXT    NOT NULL,
  instance_type  TEXT,
  zone           TEXT,
  roles          TEXT    NOT NULL, -- JSON array
  labels         TEXT    NOT NULL, -- JSON object
  cpu_capacity_m INTEGER,
  mem_capacity_b INTEGER,
  pods_capacity  INTEGER,
  cpu_alloc_m    INTEGER,
  mem_alloc_b    INTEGER,
  pods_alloc     INTEGER,
  created_ms     INTEGER,
  first_seen_ms  INTEGER NOT NULL,
  updated_ms     INTEGER NOT NULL,
  deleted_ms     INTEGER,
  PRIMARY KEY (cluster, uid)
) WITHOUT ROWID;
CREATE INDEX node_history_deleted ON node_history (deleted_ms) WHERE deleted_ms IS NOT NULL;
