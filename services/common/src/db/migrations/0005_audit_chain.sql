-- A hash chain per user over the audit trail: each entry carries the hash of
-- the user's previous entry and its own hash over that and its content. An
-- edit, a deletion or an insertion in the middle of a user's trail then breaks
-- a link that GET /api/audit/verify reports. (The trigger of 0002 refuses
-- UPDATE and DELETE; the chain is what still tells when someone who can drop
-- that trigger, such as the owner, changed a row.)

-- The hash of one entry: SHA-256 over a JSON array of its fields. JSON gives
-- unambiguous separators and escaping; jsonb text output is canonical (keys
-- sorted, no insignificant space); times enter as microseconds since the
-- epoch, so the session's TimeZone cannot change the text.
CREATE FUNCTION audit_entry_hash(
  prev_hash text, event_id text, type text, topic text, task_id text, user_id text,
  event jsonb, event_time timestamptz, recorded_at timestamptz
) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    prev_hash, event_id, type, topic, task_id, user_id, event,
    (extract(epoch FROM event_time) * 1000000)::bigint,
    (extract(epoch FROM recorded_at) * 1000000)::bigint
  )::text, 'UTF8')), 'hex')
$$;

ALTER TABLE audit_entries ADD COLUMN prev_hash text, ADD COLUMN hash text;

-- Entries recorded before this migration join the chain in recorded order.
ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
DO $$
DECLARE
  entry record;
  previous text;
  owner text;
BEGIN
  FOR entry IN SELECT seq, user_id FROM audit_entries ORDER BY user_id, seq LOOP
    IF owner IS DISTINCT FROM entry.user_id THEN
      previous := NULL;
      owner := entry.user_id;
    END IF;
    UPDATE audit_entries a
       SET prev_hash = previous,
           hash = audit_entry_hash(previous, a.event_id, a.type, a.topic, a.task_id, a.user_id, a.event, a.event_time, a.recorded_at)
     WHERE a.seq = entry.seq
     RETURNING a.hash INTO previous;
  END LOOP;
END;
$$;
ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;

ALTER TABLE audit_entries ALTER COLUMN hash SET NOT NULL;
