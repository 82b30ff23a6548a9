-- One posting as the ledger runs it (a settled transfer's posted lines), for pgbench:
--   pgbench -n -f bench/posting.sql -c 8 -T 10 <ledger database URL>
-- Accounts: customer:BENCH<c>:ZAR (1..1000) and the two hot accounts every posting
-- touches, settlement:oppwa:ZAR and fees:revenue:ZAR (bench/setup.sql opens them).
-- The statements are those of storo_ledger.journal.repository and the inbox row of
-- storo_outbox's consumer: the inbox row, the ordered row locks, and the one
-- statement that advances the chain head and writes the entry, its lines, the
-- balance rows and the outbox row.
\set c random(1, 1000)
\set amount random(100, 100000)
\set fee random(1, 500)
BEGIN;
INSERT INTO ledger.inbox (event_id, type, source, subject)
VALUES (gen_random_uuid()::text, 'transfers.settled', 'bench', 'bench');
SELECT account_id, currency, normal_side, non_negative, debits_posted,
       credits_posted, debits_pending, credits_pending
  FROM ledger.balances
 WHERE account_id = ANY(ARRAY['customer:BENCH' || :c || ':ZAR',
                              'fees:revenue:ZAR', 'settlement:oppwa:ZAR'])
 ORDER BY account_id
   FOR UPDATE;
WITH ids AS (
    SELECT gen_random_uuid() AS id
), body AS (
    SELECT ids.id, jsonb_build_array(
        jsonb_build_object('line_no', 1, 'account_id', 'customer:BENCH' || :c || ':ZAR',
            'phase', 'posted', 'side', 'debit', 'amount', :amount + :fee,
            'currency', 'ZAR'),
        jsonb_build_object('line_no', 2, 'account_id', 'settlement:oppwa:ZAR',
            'phase', 'posted', 'side', 'credit', 'amount', :amount, 'currency', 'ZAR'),
        jsonb_build_object('line_no', 3, 'account_id', 'fees:revenue:ZAR',
            'phase', 'posted', 'side', 'credit', 'amount', :fee, 'currency', 'ZAR')
    ) AS lines FROM ids
), head AS (
    UPDATE ledger.chain_head AS c
       SET seq = c.seq + 1,
           prev_hash = c.hash,
           posted_at = t.ts,
           hash = encode(sha256(convert_to(
               c.hash || E'\n' || (c.seq + 1)::text || E'\n'
               || to_char(t.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
               || E'\n' || (SELECT b.id::text || b.lines::text FROM body AS b),
               'UTF8')), 'hex')
      FROM (SELECT clock_timestamp() AS ts) AS t
     WHERE c.id = 1
    RETURNING c.seq, c.prev_hash, c.hash, c.posted_at
), entry AS (
    INSERT INTO ledger.entries (id, seq, kind, transfer_id, hold_id, source_event_id,
           source_event_type, event_time, posted_at, prev_hash, hash)
    SELECT b.id, h.seq, 'post', NULL, NULL, b.id::text, 'bench', h.posted_at,
           h.posted_at, h.prev_hash, h.hash
      FROM head AS h, body AS b
    RETURNING id, seq, posted_at, hash
), written_lines AS (
    INSERT INTO ledger.lines (entry_id, line_no, entry_seq, posted_at, account_id,
           phase, side, amount, currency)
    SELECT e.id, l.line_no, e.seq, e.posted_at, l.account_id, l.phase, l.side,
           l.amount, l.currency
      FROM entry AS e, body AS b,
           jsonb_to_recordset(b.lines) AS l(line_no smallint, account_id text,
               phase text, side text, amount bigint, currency text)
), moved AS (
    UPDATE ledger.balances AS bal
       SET debits_posted = bal.debits_posted + d.dp,
           credits_posted = bal.credits_posted + d.cp,
           last_entry_seq = e.seq
      FROM entry AS e,
           (VALUES ('customer:BENCH' || :c || ':ZAR', :amount + :fee, 0),
                   ('fees:revenue:ZAR', 0, :fee),
                   ('settlement:oppwa:ZAR', 0, :amount)) AS d(account_id, dp, cp)
     WHERE bal.account_id = d.account_id
    RETURNING bal.account_id
), published AS (
    INSERT INTO ledger.outbox (event_id, type, subject, envelope)
    SELECT gen_random_uuid(), 'ledger.entry.posted', 'bench',
           jsonb_set(jsonb_set('{"specversion": "1.0", "type": "ledger.entry.posted",
               "source": "storo-ledger", "data": {"kind": "post"}}'::jsonb,
               '{data,hash}', to_jsonb(e.hash)),
               '{data,posted_at}', to_jsonb(to_char(e.posted_at AT TIME ZONE 'UTC',
                   'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
      FROM entry AS e
)
SELECT e.seq, e.posted_at, e.hash, (SELECT count(*) FROM moved) FROM entry AS e;
COMMIT;
