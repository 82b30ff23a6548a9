"""The books: accounts, balances, the hash-chained journal, holds, outbox and inbox.

Revision ID: 0001_books
Revises:
Create Date: 2026-12-03
"""

from alembic import op
from storo_outbox import create_tables

revision = "0001_books"
down_revision = None
branch_labels = None
depends_on = None

STATEMENTS = [
    """
    CREATE TABLE ledger.accounts (
        id text PRIMARY KEY,
        kind text NOT NULL,
        name text NOT NULL,
        currency text NOT NULL,
        normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
        non_negative boolean NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    # One row per account, changed only under its row lock by the posting statement.
    # The flags are copied from the account so the CHECK can hold the floor itself.
    """
    CREATE TABLE ledger.balances (
        account_id text PRIMARY KEY REFERENCES ledger.accounts (id),
        currency text NOT NULL,
        normal_side text NOT NULL,
        non_negative boolean NOT NULL,
        debits_posted bigint NOT NULL DEFAULT 0,
        credits_posted bigint NOT NULL DEFAULT 0,
        debits_pending bigint NOT NULL DEFAULT 0,
        credits_pending bigint NOT NULL DEFAULT 0,
        last_entry_seq bigint,
        CONSTRAINT balances_floor CHECK (
            NOT non_negative OR CASE normal_side
                WHEN 'credit' THEN credits_posted - debits_posted
                                   - (debits_pending - credits_pending)
                ELSE debits_posted - credits_posted
                     - (credits_pending - debits_pending)
            END >= 0
        )
    )
    """,
    """
    CREATE TABLE ledger.chain_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL,
        prev_hash text NOT NULL,
        posted_at timestamptz
    )
    """,
    f"""
    INSERT INTO ledger.chain_head (id, seq, hash, prev_hash)
    VALUES (1, 0, '{"0" * 64}', '{"0" * 64}')
    """,
    """
    CREATE TABLE ledger.entries (
        id uuid PRIMARY KEY,
        seq bigint NOT NULL UNIQUE,
        kind text NOT NULL
            CHECK (kind IN ('hold', 'post', 'void', 'reverse', 'expire')),
        transfer_id uuid,
        hold_id uuid,
        source_event_id text UNIQUE,
        source_event_type text,
        event_time timestamptz,
        posted_at timestamptz NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL
    )
    """,
    "CREATE INDEX entries_transfer ON ledger.entries (transfer_id, seq)",
    "CREATE INDEX entries_posted_at ON ledger.entries (posted_at)",
    """
    CREATE TABLE ledger.lines (
        entry_id uuid NOT NULL REFERENCES ledger.entries (id),
        line_no smallint NOT NULL,
        entry_seq bigint NOT NULL,
        posted_at timestamptz NOT NULL,
        account_id text NOT NULL REFERENCES ledger.accounts (id),
        phase text NOT NULL CHECK (phase IN ('pending', 'posted')),
        side text NOT NULL CHECK (side IN ('debit', 'credit')),
        amount bigint NOT NULL CHECK (amount > 0),
        currency text NOT NULL,
        PRIMARY KEY (entry_id, line_no)
    )
    """,
    "CREATE INDEX lines_account ON ledger.lines (account_id, entry_seq)",
    "CREATE INDEX lines_posted_at ON ledger.lines (posted_at)",
    """
    CREATE TABLE ledger.holds (
        id uuid PRIMARY KEY,
        transfer_id uuid NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('awaiting', 'pending', 'posted',
            'voided', 'expired', 'reversed', 'refused')),
        debtor_account text,
        rail text,
        amount bigint,
        currency text,
        fee bigint,
        fee_currency text,
        expires_at timestamptz,
        placed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        resolved_at timestamptz,
        submitted_event_id text,
        resolved_by_event_id text,
        refusal_reason text,
        -- 'awaiting' is the placeholder of a transfer whose events came before its
        -- submission: it has no terms yet, every other status has them
        CONSTRAINT holds_terms CHECK (status IN ('awaiting', 'refused') OR (
            debtor_account IS NOT NULL AND rail IS NOT NULL AND amount IS NOT NULL
            AND currency IS NOT NULL AND fee IS NOT NULL AND fee_currency IS NOT NULL
            AND expires_at IS NOT NULL))
    )
    """,
    """
    CREATE INDEX holds_expiry ON ledger.holds (expires_at)
        WHERE status = 'pending'
    """,
    """
    CREATE INDEX holds_awaiting ON ledger.holds (placed_at)
        WHERE status = 'awaiting'
    """,
    # Events that arrived before the transfer's hold (settled before submitted).
    """
    CREATE TABLE ledger.parked_events (
        event_id text PRIMARY KEY,
        transfer_id uuid NOT NULL,
        event_type text NOT NULL,
        event_time timestamptz,
        envelope jsonb NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    "CREATE INDEX parked_transfer ON ledger.parked_events (transfer_id)",
    # Append-only, twice over: the service's own role loses the privilege, and a
    # trigger refuses the change even for a role that still holds it (an owner can
    # grant itself privileges back; the hash chain catches a superuser).
    """
    CREATE FUNCTION ledger.refuse_journal_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger.% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'book a reversing entry instead';
    END
    $$
    """,
]

for table in ("accounts", "entries", "lines"):
    STATEMENTS += [
        f"""
        CREATE TRIGGER {table}_append_only
        BEFORE UPDATE OR DELETE ON ledger.{table}
        FOR EACH ROW EXECUTE FUNCTION ledger.refuse_journal_change()
        """,
        f"""
        CREATE TRIGGER {table}_no_truncate
        BEFORE TRUNCATE ON ledger.{table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_journal_change()
        """,
    ]
# Journal lines are referenced by nothing, so the role can lose UPDATE outright.
# Entries and accounts are the targets of foreign keys, whose checks lock the parent
# row FOR KEY SHARE, which needs UPDATE privilege: there the trigger alone refuses.
STATEMENTS += [
    "REVOKE UPDATE, DELETE, TRUNCATE ON ledger.lines FROM CURRENT_USER",
    "REVOKE DELETE, TRUNCATE ON ledger.entries, ledger.accounts FROM CURRENT_USER",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)
    create_tables(op, "ledger")


def downgrade() -> None:
    raise NotImplementedError("the books are never dropped by a migration")
