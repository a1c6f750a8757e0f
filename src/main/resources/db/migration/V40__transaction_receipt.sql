-- Transactions applied once (issue 10): a transaction Bundle carrying an idempotency key
-- (Bundle.identifier in the system store/TransactionReceipts.SYSTEM) leaves its key and its
-- transaction-response here, in the same database transaction as its writes. The same key again
-- is answered from here and writes nothing, so `load --resume` can resend a transaction whose
-- acknowledgement was lost (node killed after commit) without duplicating its resources.
CREATE TABLE transaction_receipt (
    idempotency_key text PRIMARY KEY,
    response        text,
    received_at     timestamptz NOT NULL DEFAULT now()
);
