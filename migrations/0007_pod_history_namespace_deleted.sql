-- SPDX-License-Identifier: Apache-2.0
-- The pods of a namespace that went within a window (rightsizing pools the pods a rollout replaced with the live ones;
-- every analysis pass asks it of every namespace). With only the namespace index SQLite read each of the namespace's
-- pods from the table to find none deleted: 10,000 queries of some 15 table rows each at the scale envelope, about 5 s
-- of a pass. This index holds the deleted pods alone, in the order the query pages them.
CREATE INDEX pod_history_namespace_deleted ON pod_history (cluster, namespace, first_seen_ms, uid) WHERE deleted_ms IS NOT NULL;
