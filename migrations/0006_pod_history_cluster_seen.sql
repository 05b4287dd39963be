-- SPDX-License-Identifier: Apache-2.0
-- Every pod of a cluster, newest first, a page at a time (the capacity step's Σ requests history reads the whole pod
-- history each analysis pass). Without it SQLite found the pods by the primary key (cluster, uid) and sorted all of
-- them for every page of 1,000: 150 pages × 150,000 pods at the scale envelope, 7 s of a pass. With it each page is a
-- range of this index.
CREATE INDEX pod_history_cluster_seen ON pod_history (cluster, first_seen_ms, uid);
