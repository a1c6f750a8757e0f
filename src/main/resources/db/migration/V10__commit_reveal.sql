-- Commit-then-reveal (issue 15). A site answers the contribute round with a signed commitment to
-- its contribution, and reveals the contribution only once it holds every member's commitment.
ALTER TABLE site_contribution ADD COLUMN commitment bytea;   -- this site's signed commitment (round 20)
ALTER TABLE site_contribution ADD COLUMN commitments bytea;  -- the n verified commitments it revealed against

-- One key-switch share per c1, for good: the c1 ("mask") fingerprint of the sum every share was
-- computed for. A share on the same c1 for another query cannot be stored, so it is never sent.
-- NULL only for shares released before this migration (their c1 fingerprint was not kept).
ALTER TABLE keyswitch_share ADD COLUMN mask text;
ALTER TABLE keyswitch_share ADD CONSTRAINT keyswitch_share_mask_once UNIQUE (mask);
