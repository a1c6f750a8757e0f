-- Key ceremony state per epoch (docs/network-protocol.md, "Key ceremony"):
-- commitments_revealed: fingerprint of the one set of signed commitments this site revealed its
--   CKG share against; a share is never revealed against any other set in the same epoch.
-- transcript: the verified ceremony transcript (every member's signed commitment and share) the
--   collective key was derived from; the coordinator re-sends it to a site that lacks the key.
ALTER TABLE network_key ADD COLUMN commitments_revealed bytea;
ALTER TABLE network_key ADD COLUMN transcript bytea;
