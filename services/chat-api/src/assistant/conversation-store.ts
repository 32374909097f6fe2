import { UUID_PATTERN } from "@todo/common";
import type { Queryable } from "@todo/common/db";

/** One tool call the assistant made in a turn, as the API shows it. */
export interface ChatAction {
  tool: string;
  input: unknown;
  result: unknown;
}

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
  actions?: ChatAction[];
  createdAt: Date;
}

export interface Conversation<Memory = unknown> {
  id: string;
  userId: string;
  memory: Memory;
}

const UUID = new RegExp(UUID_PATTERN);
// jsonb goes in as JSON text cast in SQL: a bare JS array would be encoded as a Postgres array by the
// postgres package, and a JSON string bound straight to jsonb would be stored as a jsonb string.
const json = (value: unknown) => JSON.stringify(value);

/**
 * The caller's conversation, or undefined when it does not exist or belongs to
 * someone else (both answer 404: a conversation id reveals nothing).
 */
export async function findConversation<Memory>(db: Queryable, userId: string, id: string): Promise<Conversation<Memory> | undefined> {
  // The column is uuid: a malformed id would be a SQL error, not a miss.
  if (!UUID.test(id)) return undefined;
  const rows = await db.query<{ id: string; user_id: string; memory: Memory }>(
    "SELECT id, user_id, memory FROM conversations WHERE id = $1 AND user_id = $2",
    [id, userId],
  );
  const row = rows[0];
  return row && { id: row.id, userId: row.user_id, memory: row.memory };
}

export async function insertConversation(db: Queryable, conversation: Conversation, now: Date): Promise<void> {
  await db.query("INSERT INTO conversations (id, user_id, memory, created_at, updated_at) VALUES ($1, $2, $3::text::jsonb, $4, $4)", [
    conversation.id,
    conversation.userId,
    json(conversation.memory ?? {}),
    now,
  ]);
}

export async function saveMemory(db: Queryable, id: string, memory: unknown, now: Date): Promise<void> {
  await db.query("UPDATE conversations SET memory = $2::text::jsonb, updated_at = $3 WHERE id = $1", [id, json(memory ?? {}), now]);
}

export async function appendMessage(db: Queryable, conversationId: string, message: ChatMessage): Promise<void> {
  await db.query("INSERT INTO messages (id, conversation_id, role, content, actions, created_at) VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)", [
    Bun.randomUUIDv7(),
    conversationId,
    message.role,
    message.content,
    message.actions === undefined ? null : json(message.actions),
    message.createdAt,
  ]);
}

/** Messages in the order they were written (ids are UUIDv7); with `last`, only that many of the latest. */
export async function listMessages(db: Queryable, conversationId: string, last?: number): Promise<ChatMessage[]> {
  const rows = await db.query<{ role: "user" | "assistant"; content: string; actions: ChatAction[] | null; created_at: Date }>(
    `SELECT role, content, actions, created_at FROM (
       SELECT id, role, content, actions, created_at FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2
     ) AS latest ORDER BY id`,
    [conversationId, last ?? null],
  );
  return rows.map((row) => ({
    role: row.role,
    content: row.content,
    ...(row.actions ? { actions: row.actions } : {}),
    createdAt: row.created_at,
  }));
}
