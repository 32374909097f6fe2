import { Type, type Static } from "@sinclair/typebox";
import { UserId } from "./schema-primitives.ts";

/**
 * A WebSocket frame, never published to a topic: tells a browser tab that it
 * missed too much to replay and must reload its task list.
 */
export const SYNC_RESET = "todo.sync.reset.v1";

export const SyncResetData = Type.Object({
  userId: UserId,
  reason: Type.String({ minLength: 1 }),
});
export type SyncResetData = Static<typeof SyncResetData>;
