-- Replicas of one site on one PostgreSQL (issue 12). A query in flight belongs to the replica that
-- runs it, under a lease that replica renews while it lives (federation/SiteReplica). At start-up a
-- replica aborts only its own orphans and the queries whose lease expired; the site leader does the
-- latter every few seconds. NULL replica: a row from before this migration (its node's own orphan).
ALTER TABLE network_query ADD COLUMN replica text;
ALTER TABLE network_query ADD COLUMN lease_until timestamptz;
ALTER TABLE network_async ADD COLUMN replica text;
ALTER TABLE network_async ADD COLUMN lease_until timestamptz;

-- the lease sweeps read only the rows in flight
CREATE INDEX network_query_in_flight ON network_query (replica, lease_until) WHERE state NOT IN ('DONE', 'ABORTED');
CREATE INDEX network_async_running ON network_async (replica, lease_until) WHERE state = 'RUNNING';
