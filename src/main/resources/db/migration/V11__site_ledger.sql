-- Every site keeps its own privacy ledger (issue 15), per (entry node, querier), debited in the
-- transaction that admits a query at the site. Rows written before this had no entry node ('').
ALTER TABLE privacy_ledger ADD COLUMN entry_site text NOT NULL DEFAULT '';
CREATE INDEX privacy_ledger_entry_querier ON privacy_ledger (entry_site, querier);
