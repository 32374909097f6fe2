import { checkBody, notFound, requireUser, type Logger, type TokenService } from "@todo/common";
import type { Database } from "@todo/common/db";
import { Elysia, t } from "elysia";
import { findUserById } from "../auth/user-store.ts";
import { takeWriteOrThrow, type WriteRateLimiter } from "../http/rate-limit.ts";
import type { TaskService } from "../tasks/task-service.ts";
import type { TaskTool } from "../tools/task-tools.ts";
import { deterministicAgent, type Agent } from "./agent.ts";
import { appendMessage, findConversation, insertConversation, listMessages, saveMemory } from "./conversation-store.ts";
import { MAX_MESSAGE_LENGTH } from "./intent-engine.ts";
import type { ConversationMemory, TaskSummary, TurnContext } from "./types.ts";

export interface ChatRoutesContext {
  db: Database;
  tools: TaskTool[];
  tasks: TaskService;
  tokens: TokenService;
  agent: Agent;
  rateLimiter: WriteRateLimiter;
  now?: () => Date;
  logger?: Logger;
}

/** How many of the caller's tasks a turn may resolve references against ("the milk one"). */
const CONTEXT_TASKS = 100;
/** How much of the conversation a hosted model sees again each turn. */
const HISTORY_MESSAGES = 20;

const ChatBody = t.Object(
  {
    // No length limits here on purpose: an empty or huge message is still a
    // conversation turn and gets a helpful 200 reply; only a non-string is a 400.
    message: t.String(),
    conversationId: t.Optional(t.String()),
  },
  { additionalProperties: false },
);

const ConversationParams = t.Object({ id: t.String() });

/**
 * The chat assistant over HTTP. Each turn loads the conversation's memory
 * from the database, lets the agent act for the caller through the task
 * tools, and stores the messages and the next memory: nothing lives in this
 * replica between requests, so any replica can answer the next turn. Another
 * user's conversation answers 404, like a missing one. A turn spends one
 * write of the caller's rate budget, since it may change tasks.
 */
export function chatRoutes(ctx: ChatRoutesContext) {
  const now = ctx.now ?? (() => new Date());

  async function contextFor(userId: string, memory: ConversationMemory): Promise<TurnContext> {
    const user = await findUserById(ctx.db, userId);
    const [pending, completed] = await Promise.all([
      ctx.tasks.list(userId, { status: "pending", sort: "created", order: "asc", limit: CONTEXT_TASKS }),
      ctx.tasks.list(userId, { status: "completed", sort: "updated", order: "desc", limit: 20 }),
    ]);
    const tasks: TaskSummary[] = [...pending.items, ...completed.items];
    return { now: now(), timeZone: user?.timeZone ?? "UTC", tasks, memory };
  }

  return new Elysia()
    .use(requireUser(ctx.tokens))
    .post(
      "/api/chat",
      async ({ userId, body }) => {
        const existing = body.conversationId === undefined ? undefined : await findConversation<ConversationMemory>(ctx.db, userId, body.conversationId);
        if (body.conversationId !== undefined && !existing) throw notFound("conversation");
        takeWriteOrThrow(ctx.rateLimiter, userId);

        const receivedAt = now();
        const memory = existing?.memory ?? ({} as ConversationMemory);
        const context = await contextFor(userId, memory);
        // Longer messages get a helpful reply from the engine. Bad input is the engine's to answer (helpfully, in the right language), never a model's.
        const usable = body.message.trim() !== "" && body.message.length <= MAX_MESSAGE_LENGTH;
        const agent = usable ? ctx.agent : deterministicAgent;
        const history = existing ? await listMessages(ctx.db, existing.id, HISTORY_MESSAGES) : [];
        const outcome = await agent.turn({
          message: body.message,
          context,
          tools: ctx.tools,
          userId,
          history: history.map(({ role, content }) => ({ role, content })),
        });

        const conversationId = existing?.id ?? Bun.randomUUIDv7();
        const answeredAt = now();
        await ctx.db.transaction(async (tx) => {
          if (existing) await saveMemory(tx, conversationId, outcome.memory, answeredAt);
          else await insertConversation(tx, { id: conversationId, userId, memory: outcome.memory }, receivedAt);
          // A huge message is stored cut short: the history shows what was said, not 4 MB of it.
          await appendMessage(tx, conversationId, { role: "user", content: body.message.slice(0, MAX_MESSAGE_LENGTH), createdAt: receivedAt });
          await appendMessage(tx, conversationId, { role: "assistant", content: outcome.reply, actions: outcome.actions, createdAt: answeredAt });
        });
        // Tool names only: message text is the user's own data and stays out of the logs.
        ctx.logger?.debug("chat turn", { conversationId, tools: outcome.actions.map((action) => action.tool) });
        return { conversationId, reply: outcome.reply, actions: outcome.actions };
      },
      {
        parse: "json",
        body: ChatBody,
        transform: checkBody(ChatBody),
        detail: { tags: ["chat"], summary: "One turn of the chat assistant", description: "Starts a conversation without conversationId." },
      },
    )
    .get(
      "/api/conversations/:id",
      async ({ userId, params }) => {
        const conversation = await findConversation(ctx.db, userId, params.id);
        if (!conversation) throw notFound("conversation");
        return { id: conversation.id, messages: await listMessages(ctx.db, conversation.id) };
      },
      { params: ConversationParams, detail: { tags: ["chat"], summary: "A conversation's messages, oldest first" } },
    );
}
