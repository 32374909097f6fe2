-- Users, tasks and the transactional outbox of CloudEvents.

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  -- lower(email): one account per address whatever its case
  email_key text NOT NULL UNIQUE,
  name text,
  password_hash text NOT NULL,
  time_zone text NOT NULL DEFAULT 'UTC',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed')),
  priority text NOT NULL DEFAULT 'none' CHECK (priority IN ('high', 'medium', 'low', 'none')),
  -- sort key for priority: high first when descending
  priority_rank smallint GENERATED ALWAYS AS (
    CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END
  ) STORED,
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
  due_at timestamptz,
  remind_at timestamptz,
  recurrence text,
  series_id uuid,
  occurrence integer CHECK (occurrence >= 0),
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- English stems plus the plain words (names, Urdu): filled by tasks_search_update
  search tsvector NOT NULL DEFAULT ''::tsvector,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  -- soft delete: the row stays as a tombstone so ids and series slots are never reused
  deleted_at timestamptz,
  CHECK (recurrence IS NULL OR due_at IS NOT NULL)
);

-- Creating an occurrence of a series is idempotent on (series_id, occurrence).
CREATE UNIQUE INDEX tasks_series_occurrence ON tasks (series_id, occurrence) WHERE series_id IS NOT NULL;
CREATE INDEX tasks_user_live ON tasks (user_id, status, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_user_due ON tasks (user_id, due_at, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_search ON tasks USING gin (search);
CREATE INDEX tasks_tags ON tasks USING gin (tags);

CREATE FUNCTION tasks_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  body text := NEW.title || ' ' || NEW.description || ' ' || array_to_string(NEW.tags, ' ');
BEGIN
  NEW.search := setweight(to_tsvector('english', NEW.title), 'A')
    || to_tsvector('english', body)
    || to_tsvector('simple', body);
  RETURN NEW;
END;
$$;

CREATE TRIGGER tasks_search_update
  BEFORE INSERT OR UPDATE OF title, description, tags ON tasks
  FOR EACH ROW EXECUTE FUNCTION tasks_search_update();

-- Written in the same transaction as the task change; the relay publishes in seq order.
CREATE TABLE outbox (
  seq bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  topic text NOT NULL,
  partition_key text NOT NULL,
  event jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);

CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
