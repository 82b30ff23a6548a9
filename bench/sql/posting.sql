-- The SQL storo-ledger 1.0.0 runs to book one transfer from its events, for pgbench:
-- the transaction of transfers.submitted.usdc (a hold entry), then the transaction
-- of transfers.settled (a post entry). Statement for statement what the consumer and
-- storo_ledger.journal / storo_ledger.postings send (read from their repositories
-- and checked against the server's statement log), with the same parameters.
-- One pgbench "transaction" here is one transfer: two entries.
--
-- Variables given with -D (the JSON documents the code sends, taken from a real
-- posting): hold_body, hold_lines, hold_deltas, hold_event, post_body, post_lines,
-- post_deltas, post_event, submitted_type, settled_type; hold_accounts and
-- post_accounts (the ids the code locks, a text[]) and ts_format (the chain's
-- timestamp format): pgbench would take the colons inside literals for variables.
-- Not sent here: the pool's pre-ping (an empty statement before each transaction);
-- the SELECT below stands in for it, once per transfer.
SELECT gen_random_uuid() AS transfer_id, gen_random_uuid() AS hold_id,
       gen_random_uuid()::text AS submitted_id, gen_random_uuid()::text AS settled_id,
       gen_random_uuid() AS hold_entry, gen_random_uuid() AS post_entry \gset

-- transfers.submitted.usdc
BEGIN;
INSERT INTO ledger.inbox (event_id, type, source, subject)
VALUES (:submitted_id, :submitted_type, 'storo-cts', :transfer_id)
ON CONFLICT (event_id) DO NOTHING RETURNING ledger.inbox.event_id;
INSERT INTO ledger.holds AS h (id, transfer_id, status, debtor_account,
       rail, amount, currency, fee, fee_currency, expires_at,
       submitted_event_id)
VALUES (CAST(:hold_id AS uuid), CAST(:transfer_id AS uuid), 'pending', 'ZA-BENCH-0001',
       'usdc', 10250000, 'USDC', 551250, 'USDC', now() + interval '5 days',
       :submitted_id)
ON CONFLICT (transfer_id) DO UPDATE
   SET status = 'pending', debtor_account = EXCLUDED.debtor_account,
       rail = EXCLUDED.rail, amount = EXCLUDED.amount,
       currency = EXCLUDED.currency, fee = EXCLUDED.fee,
       fee_currency = EXCLUDED.fee_currency,
       expires_at = EXCLUDED.expires_at,
       submitted_event_id = EXCLUDED.submitted_event_id
 WHERE h.status = 'awaiting'
RETURNING id::text AS id, (xmax <> 0) AS was_awaiting;
SELECT account_id, currency, normal_side, non_negative, debits_posted,
       credits_posted, debits_pending, credits_pending
  FROM ledger.balances
 WHERE account_id = ANY(CAST(:hold_accounts AS text[]))
 ORDER BY account_id
   FOR UPDATE;
WITH head AS (
    UPDATE ledger.chain_head AS c
       SET seq = c.seq + 1,
           prev_hash = c.hash,
           posted_at = t.ts,
           hash = encode(sha256(convert_to(
               c.hash || E'\n' || (c.seq + 1)::text || E'\n'
               || to_char(t.ts AT TIME ZONE 'UTC', :ts_format)
               || E'\n' || :hold_body, 'UTF8')), 'hex')
      FROM (SELECT clock_timestamp() AS ts) AS t
     WHERE c.id = 1
    RETURNING c.seq, c.prev_hash, c.hash, c.posted_at
), entry AS (
    INSERT INTO ledger.entries (id, seq, kind, transfer_id, hold_id,
           source_event_id, source_event_type, event_time, posted_at,
           prev_hash, hash)
    SELECT CAST(:hold_entry AS uuid), h.seq, 'hold', CAST(:transfer_id AS uuid),
           CAST(:hold_id AS uuid), :submitted_id, :submitted_type,
           CAST(now() AS timestamptz), h.posted_at, h.prev_hash, h.hash
      FROM head AS h
    RETURNING id, seq, posted_at, hash
), written_lines AS (
    INSERT INTO ledger.lines (entry_id, line_no, entry_seq, posted_at, account_id,
           phase, side, amount, currency)
    SELECT e.id, l.line_no, e.seq, e.posted_at, l.account_id, l.phase, l.side,
           l.amount, l.currency
      FROM entry AS e,
           jsonb_to_recordset(CAST(:hold_lines AS jsonb)) AS l(
               line_no smallint, account_id text, phase text, side text,
               amount bigint, currency text)
), moved AS (
    UPDATE ledger.balances AS b
       SET debits_posted = b.debits_posted + d.dp,
           credits_posted = b.credits_posted + d.cp,
           debits_pending = b.debits_pending + d.dq,
           credits_pending = b.credits_pending + d.cq,
           last_entry_seq = e.seq
      FROM entry AS e,
           jsonb_to_recordset(CAST(:hold_deltas AS jsonb)) AS d(
               account_id text, dp bigint, cp bigint, dq bigint, cq bigint)
     WHERE b.account_id = d.account_id
    RETURNING b.account_id
)
SELECT e.seq, e.posted_at, e.hash, (SELECT count(*) FROM moved) AS moved
  FROM entry AS e;
INSERT INTO ledger.outbox (event_id, type, subject, envelope)
VALUES (gen_random_uuid(), 'ledger.entry.posted', :transfer_id, CAST(:hold_event AS jsonb))
RETURNING ledger.outbox.id;
COMMIT;

-- transfers.settled
BEGIN;
INSERT INTO ledger.inbox (event_id, type, source, subject)
VALUES (:settled_id, :settled_type, 'storo-gw-usdc', :transfer_id)
ON CONFLICT (event_id) DO NOTHING RETURNING ledger.inbox.event_id;
SELECT id::text AS id, transfer_id::text AS transfer_id, status, debtor_account, rail,
       amount, currency, fee, fee_currency, expires_at, refusal_reason
  FROM ledger.holds WHERE transfer_id = CAST(:transfer_id AS uuid) FOR UPDATE;
SELECT account_id, currency, normal_side, non_negative, debits_posted,
       credits_posted, debits_pending, credits_pending
  FROM ledger.balances
 WHERE account_id = ANY(CAST(:post_accounts AS text[]))
 ORDER BY account_id
   FOR UPDATE;
WITH head AS (
    UPDATE ledger.chain_head AS c
       SET seq = c.seq + 1,
           prev_hash = c.hash,
           posted_at = t.ts,
           hash = encode(sha256(convert_to(
               c.hash || E'\n' || (c.seq + 1)::text || E'\n'
               || to_char(t.ts AT TIME ZONE 'UTC', :ts_format)
               || E'\n' || :post_body, 'UTF8')), 'hex')
      FROM (SELECT clock_timestamp() AS ts) AS t
     WHERE c.id = 1
    RETURNING c.seq, c.prev_hash, c.hash, c.posted_at
), entry AS (
    INSERT INTO ledger.entries (id, seq, kind, transfer_id, hold_id,
           source_event_id, source_event_type, event_time, posted_at,
           prev_hash, hash)
    SELECT CAST(:post_entry AS uuid), h.seq, 'post', CAST(:transfer_id AS uuid),
           CAST(:hold_id AS uuid), :settled_id, :settled_type,
           CAST(now() AS timestamptz), h.posted_at, h.prev_hash, h.hash
      FROM head AS h
    RETURNING id, seq, posted_at, hash
), written_lines AS (
    INSERT INTO ledger.lines (entry_id, line_no, entry_seq, posted_at, account_id,
           phase, side, amount, currency)
    SELECT e.id, l.line_no, e.seq, e.posted_at, l.account_id, l.phase, l.side,
           l.amount, l.currency
      FROM entry AS e,
           jsonb_to_recordset(CAST(:post_lines AS jsonb)) AS l(
               line_no smallint, account_id text, phase text, side text,
               amount bigint, currency text)
), moved AS (
    UPDATE ledger.balances AS b
       SET debits_posted = b.debits_posted + d.dp,
           credits_posted = b.credits_posted + d.cp,
           debits_pending = b.debits_pending + d.dq,
           credits_pending = b.credits_pending + d.cq,
           last_entry_seq = e.seq
      FROM entry AS e,
           jsonb_to_recordset(CAST(:post_deltas AS jsonb)) AS d(
               account_id text, dp bigint, cp bigint, dq bigint, cq bigint)
     WHERE b.account_id = d.account_id
    RETURNING b.account_id
)
SELECT e.seq, e.posted_at, e.hash, (SELECT count(*) FROM moved) AS moved
  FROM entry AS e;
INSERT INTO ledger.outbox (event_id, type, subject, envelope)
VALUES (gen_random_uuid(), 'ledger.entry.posted', :transfer_id, CAST(:post_event AS jsonb))
RETURNING ledger.outbox.id;
UPDATE ledger.holds
   SET status = 'posted', resolved_at = clock_timestamp(),
       resolved_by_event_id = :settled_id,
       refusal_reason = coalesce(NULL, refusal_reason)
 WHERE id = CAST(:hold_id AS uuid);
COMMIT;
