-- The SQL storo-cts 1.0.0 runs for one accepted POST /v1/transfers, for pgbench.
-- Statement for statement what storo_cts.transfers (api, service, timeline,
-- repository), storo_cts.outbox and storo-outbox-lib's idempotency keys send for a
-- USDC transfer that screening clears (read from the code and checked against the
-- server's statement log of the release in the index): the replay check on its
-- own (autocommit), then one transaction with the idempotency record, the transfer,
-- its quote, its four events in the outbox (three transfers.status.changed and one
-- transfers.submitted.usdc) and its four timeline rows (each set one pipelined
-- executemany, as psycopg sends it) and the stored response.
--
-- Keys are unique per transaction: the idempotency key is built from the client id
-- and two random numbers, the transfer id is derived from it. Variables given with
-- -D are the JSON documents of a real intake read back from the fleet's database:
-- changed_event, submitted_event, debtor, creditor, screening, dataset_versions,
-- changed_data, submitted_data, response, headers, fingerprint.
\set a random(1, 2000000000)
\set b random(1, 2000000000)

SELECT cts.idempotency_keys.fingerprint, cts.idempotency_keys.status,
       cts.idempotency_keys.response_body, cts.idempotency_keys.response_headers
  FROM cts.idempotency_keys
 WHERE cts.idempotency_keys.key = 'pgb-' || :client_id::text || '-' || :a::text || '-' || :b::text;

BEGIN ISOLATION LEVEL READ COMMITTED;
INSERT INTO cts.idempotency_keys (key, fingerprint)
VALUES ('pgb-' || :client_id::text || '-' || :a::text || '-' || :b::text, :fingerprint)
ON CONFLICT (key) DO NOTHING RETURNING cts.idempotency_keys.key;
INSERT INTO cts.transfers (id, idempotency_key, status, rail, amount_minor, currency,
       fee_minor, debtor, creditor, reference, purpose, metadata, screening, quote_id,
       rail_reference, rejection_stage, reason_code, reason, created_at, updated_at)
VALUES (md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid,
        'pgb-' || :client_id::text || '-' || :a::text || '-' || :b::text,
        'submitted', 'usdc', 10250000, 'USDC', 551250,
        CAST(:debtor AS jsonb), CAST(:creditor AS jsonb), 'BENCH-PGBENCH',
        'family support', CAST('{}' AS jsonb), CAST(:screening AS jsonb),
        'q_' || md5('q' || :a::text || '-' || :b::text), NULL, NULL, NULL, NULL,
        now(), now());
INSERT INTO cts.quotes (quote_id, transfer_id, currency, amount_minor, fee_minor,
       total_minor, rail, rail_reason, settlement_window, cutoff_at,
       expected_settlement_date, dataset_versions, created_at)
VALUES ('q_' || md5('q' || :a::text || '-' || :b::text),
        md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid,
        'USDC', 10250000, 551250, 10801250, 'usdc', 'requested', 'usdc-onchain',
        now() + interval '10 hours', current_date, CAST(:dataset_versions AS jsonb),
        now());
\startpipeline
INSERT INTO cts.outbox (event_id, type, subject, envelope)
VALUES (gen_random_uuid(), 'transfers.status.changed',
        md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid::text,
        CAST(:changed_event AS jsonb));
INSERT INTO cts.outbox (event_id, type, subject, envelope)
VALUES (gen_random_uuid(), 'transfers.status.changed',
        md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid::text,
        CAST(:changed_event AS jsonb));
INSERT INTO cts.outbox (event_id, type, subject, envelope)
VALUES (gen_random_uuid(), 'transfers.status.changed',
        md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid::text,
        CAST(:changed_event AS jsonb));
INSERT INTO cts.outbox (event_id, type, subject, envelope)
VALUES (gen_random_uuid(), 'transfers.submitted.usdc',
        md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid::text,
        CAST(:submitted_event AS jsonb));
\endpipeline
\startpipeline
INSERT INTO cts.transfer_timeline (transfer_id, seq, event_id, type, v, source, time,
       direction, data, status, outcome, from_status, to_status, implied)
VALUES (md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid, 1,
        gen_random_uuid()::text, 'transfers.status.changed', 1, 'storo-cts', now(),
        'emitted', CAST(:changed_data AS jsonb), 'received', NULL, NULL, 'received',
        false);
INSERT INTO cts.transfer_timeline (transfer_id, seq, event_id, type, v, source, time,
       direction, data, status, outcome, from_status, to_status, implied)
VALUES (md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid, 2,
        gen_random_uuid()::text, 'transfers.status.changed', 1, 'storo-cts', now(),
        'emitted', CAST(:changed_data AS jsonb), 'screened', NULL, 'received',
        'screened', false);
INSERT INTO cts.transfer_timeline (transfer_id, seq, event_id, type, v, source, time,
       direction, data, status, outcome, from_status, to_status, implied)
VALUES (md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid, 3,
        gen_random_uuid()::text, 'transfers.status.changed', 1, 'storo-cts', now(),
        'emitted', CAST(:changed_data AS jsonb), 'submitted', NULL, 'screened',
        'submitted', false);
INSERT INTO cts.transfer_timeline (transfer_id, seq, event_id, type, v, source, time,
       direction, data, status, outcome, from_status, to_status, implied)
VALUES (md5(:client_id::text || '-' || :a::text || '-' || :b::text)::uuid, 4,
        gen_random_uuid()::text, 'transfers.submitted.usdc', 1, 'storo-cts', now(),
        'emitted', CAST(:submitted_data AS jsonb), 'submitted', NULL, NULL, NULL,
        false);
\endpipeline
UPDATE cts.idempotency_keys
   SET status = 201, response_body = CAST(:response AS jsonb),
       response_headers = CAST(:headers AS jsonb), completed_at = now()
 WHERE cts.idempotency_keys.key = 'pgb-' || :client_id::text || '-' || :a::text || '-' || :b::text;
COMMIT;
