-- Chat assistant conversations. The memory column carries what earlier turns
-- referred to ("it", "the second one", a pending confirmation), so any replica
-- can answer the next turn without session affinity.

CREATE TABLE conversations (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  memory jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX conversations_user ON conversations (user_id, updated_at);

CREATE TABLE messages (
  -- time-ordered (UUIDv7): history reads back in the order it was written
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL,
  actions jsonb,
  created_at timestamptz NOT NULL
);

CREATE INDEX messages_conversation ON messages (conversation_id, id);
