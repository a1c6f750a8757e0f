-- _history at system and type level (issue 11): newest first, keyset paged on
-- (last_updated, type, id, version); the btrees are scanned backwards.
CREATE INDEX resource_history_time ON resource_history (last_updated, res_type, res_id, version);
CREATE INDEX resource_history_type_time ON resource_history (res_type, last_updated, res_id, version);
