-- SPDX-License-Identifier: Apache-2.0
-- Pods of one namespace, newest first (an analysis pass asks this of every namespace, rightsizing's pods gone within
-- its window). Without it SQLite chose the primary key (cluster, uid) for `cluster = ? AND namespace = ?` and read
-- every pod of the cluster for each namespace: 10,000 namespaces × 150,000 pods at the scale envelope.
CREATE INDEX pod_history_namespace ON pod_history (cluster, namespace, first_seen_ms, uid);
