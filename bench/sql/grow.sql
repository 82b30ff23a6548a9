-- Grow storo-cts's tables by %(count)s settled USDC transfers, as the admin.
--
-- Each transfer gets what an intake writes that stays: its transfers row, its
-- quote, its idempotency record (CTS never prunes those) and its four timeline
-- rows (received, screened, submitted, transfers.submitted.usdc). Outbox rows are
-- left out: the relay deletes published events after seven days, so a database of
-- a million transfers holds only the last week's. The JSON documents are copied
-- from 512 templates built once, so the load spends its time on the rows and their
-- indexes, not on building JSON.
--
-- Rows are inserted in uuid order, and the keys every index is built on (id,
-- idempotency key, quote id, created_at) follow that order, so each index grows
-- from left to right instead of by random page splits: a million rows load in
-- about a minute. New intakes still land at random places in the uuid indexes,
-- as they do in production.
--
-- Parameters (psycopg): count, the number of transfers; older_than, how many
-- transfers are already there (the new rows are dated before them).
SET synchronous_commit = off;
-- The foreign keys hold by construction; checking them row by row (a trigger per
-- row) would take most of the time, so the load skips triggers as pg_restore does.
SET session_replication_role = replica;

CREATE TEMP TABLE grow_ids ON COMMIT DROP AS
SELECT id, row_number() OVER (ORDER BY id) AS n
  FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, %(count)s)) AS ids;

CREATE TEMP TABLE grow_templates ON COMMIT DROP AS
SELECT t,
       jsonb_build_object(
           'name', 'Debtor ' || t, 'type', 'individual',
           'account', 'ZA-' || lpad(t::text, 10, '0'), 'country', 'ZA',
           'institution', 'FIRNZAJJ', 'date_of_birth', NULL) AS debtor,
       jsonb_build_object(
           'name', 'Creditor ' || t, 'type', 'individual',
           'account', upper(md5('w' || t) || substr(md5('x' || t), 1, 26)),
           'country', 'ZW', 'institution', NULL, 'date_of_birth', NULL) AS creditor,
       jsonb_build_object(
           'debtor', jsonb_build_object(
               'score', 0, 'reason', NULL, 'decision', 'clear',
               'screened_at', '2026-12-01T10:00:00.000000Z',
               'screening_id', gen_random_uuid(), 'list_versions', lists.v),
           'creditor', jsonb_build_object(
               'score', 0, 'reason', NULL, 'decision', 'clear',
               'screened_at', '2026-12-01T10:00:00.000000Z',
               'screening_id', gen_random_uuid(), 'list_versions', lists.v))
           AS screening,
       jsonb_build_object(
           'at', '2026-12-01T10:00:00.000000Z', 'to', 'received', 'from', NULL,
           'cause', jsonb_build_object(
               'reason', 'intake', 'event_id', NULL, 'event_type', NULL),
           'transfer_id', gen_random_uuid()) AS changed,
       jsonb_build_object(
           'fee', jsonb_build_object('amount', '0.551250', 'currency', 'USDC'),
           'rail', 'usdc',
           'amount', jsonb_build_object('amount', '10.250000', 'currency', 'USDC'),
           'purpose', 'family support', 'quote_id', 'q_' || md5('q' || t),
           'reference', 'GROW-' || t,
           'settlement', jsonb_build_object(
               'window', 'usdc-onchain', 'cutoff_at', '2026-12-01T21:59:00.000000Z',
               'expected_settlement_date', '2026-12-01'),
           'transfer_id', gen_random_uuid(),
           'submitted_at', '2026-12-01T10:00:00.000000Z',
           'dataset_versions', versions.v) AS submitted,
       versions.v AS dataset_versions
  FROM generate_series(0, 511) AS t,
       (SELECT '{"za_fic": "20261203-4905871737", "ofac_sdn": "20261203-6c1b66805d",
                 "eu_consolidated": "20261202-62241ef898",
                 "un_consolidated": "20261201-757d104b60"}'::jsonb AS v) AS lists,
       (SELECT '{"fees": "2025.1", "settlement_windows": "2025.1"}'::jsonb AS v)
           AS versions;

CREATE TEMP TABLE grow_rows ON COMMIT DROP AS
SELECT i.id, i.n, i.id::text AS key, 'q_' || replace(i.id::text, '-', '') AS quote_id,
       now() - interval '1 hour'
             - make_interval(secs => 2.5 * (%(older_than)s + %(count)s - i.n)) AS at,
       i.n %% 512 AS t
  FROM grow_ids AS i;

INSERT INTO cts.transfers (
       id, idempotency_key, status, rail, amount_minor, currency, fee_minor,
       debtor, creditor, reference, purpose, metadata, screening, quote_id,
       rail_reference, created_at, updated_at)
SELECT r.id, r.key, 'settled', 'usdc', 1000000 + (r.n * 7919) %% 90000000, 'USDC',
       551250, tp.debtor, tp.creditor, 'GROW-' || r.n, 'family support', '{}',
       tp.screening, r.quote_id, upper(md5(r.key) || substr(md5(r.quote_id), 1, 20)),
       r.at, r.at + interval '3 seconds'
  FROM grow_rows AS r JOIN grow_templates AS tp USING (t)
 ORDER BY r.n;

INSERT INTO cts.quotes (
       quote_id, transfer_id, currency, amount_minor, fee_minor, total_minor, rail,
       rail_reason, settlement_window, cutoff_at, expected_settlement_date,
       dataset_versions, created_at)
SELECT r.quote_id, r.id, 'USDC', 10250000, 551250, 10801250, 'usdc', 'requested',
       'usdc-onchain', date_trunc('day', r.at) + interval '21 hours 59 minutes',
       r.at::date, tp.dataset_versions, r.at
  FROM grow_rows AS r JOIN grow_templates AS tp USING (t)
 ORDER BY r.n;

INSERT INTO cts.idempotency_keys (
       key, fingerprint, status, response_body, response_headers, created_at,
       completed_at)
SELECT r.key, md5(r.key) || md5(r.quote_id), 201,
       jsonb_build_object('transfer_id', r.id, 'status', 'submitted')
           || (tp.submitted - 'transfer_id'),
       jsonb_build_object('Location', '/v1/transfers/' || r.id), r.at, r.at
  FROM grow_rows AS r JOIN grow_templates AS tp USING (t)
 ORDER BY r.n;

INSERT INTO cts.transfer_timeline (
       transfer_id, seq, event_id, type, v, source, time, direction, data, status,
       from_status, to_status)
SELECT r.id, s.seq, gen_random_uuid()::text, s.type, 1, 'storo-cts', r.at,
       'emitted', CASE WHEN s.seq = 4 THEN tp.submitted ELSE tp.changed END,
       s.status, s.from_status, s.to_status
  FROM grow_rows AS r JOIN grow_templates AS tp USING (t),
       (VALUES (1, 'transfers.status.changed', 'received', NULL, 'received'),
               (2, 'transfers.status.changed', 'screened', 'received', 'screened'),
               (3, 'transfers.status.changed', 'submitted', 'screened', 'submitted'),
               (4, 'transfers.submitted.usdc', 'submitted', NULL, NULL))
           AS s(seq, type, status, from_status, to_status)
 ORDER BY r.n, s.seq;
RESET session_replication_role;
