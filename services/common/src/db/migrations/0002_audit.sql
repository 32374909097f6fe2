-- The audit trail: every event of every topic, recorded once, never changed.
--
-- Production intent: the audit service connects as its own role, todo_audit,
-- which may only read and append (granted below when the role exists). The
-- trigger and the REVOKE also stop the owner's accidental UPDATE/DELETE paths;
-- an owner or superuser can still drop the trigger, which is why the audit
-- service must not connect as the owner.

CREATE TABLE audit_entries (
  -- recorded order: what GET /api/audit pages through
  seq bigserial PRIMARY KEY,
  -- text, not uuid: any CloudEvent id is recorded; a malformed one must not be retried forever
  event_id text NOT NULL UNIQUE,
  type text NOT NULL,
  topic text NOT NULL,
  task_id text,
  user_id text NOT NULL,
  event jsonb NOT NULL,
  event_time timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- Every query is scoped to one user, optionally to one task, in recorded order.
CREATE INDEX audit_entries_user ON audit_entries (user_id, seq);
CREATE INDEX audit_entries_user_task ON audit_entries (user_id, task_id, seq);

CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: % is not allowed', TG_OP
    USING HINT = 'audit entries are only ever inserted';
END;
$$;

-- Statement level: refuses even an UPDATE or DELETE that matches no row, and covers TRUNCATE.
CREATE TRIGGER audit_entries_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM PUBLIC;

-- Operators create the role (before this migration runs, or they repeat these GRANTs by hand).
-- SELECT on outbox: the gap report compares the outbox with the audit trail.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'todo_audit') THEN
    GRANT SELECT, INSERT ON audit_entries TO todo_audit;
    GRANT USAGE ON SEQUENCE audit_entries_seq_seq TO todo_audit;
    GRANT SELECT ON outbox TO todo_audit;
  END IF;
END;
$$;
