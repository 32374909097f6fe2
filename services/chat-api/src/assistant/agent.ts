import { AppError } from "@todo/common";
import type { TaskTool } from "../tools/task-tools.ts";
import type { ConversationMemory, ToolResult, TurnContext } from "./types.ts";
import { describeResults, planTurn } from "./intent-engine.ts";
import type { ChatAction } from "./conversation-store.ts";

export interface TurnInput {
  message: string;
  context: TurnContext;
  tools: TaskTool[];
  userId: string;
  /** Earlier messages of the conversation, oldest first (the engine reads memory instead; a model reads these). */
  history?: { role: "user" | "assistant"; content: string }[];
}

export interface TurnOutcome {
  reply: string;
  actions: ChatAction[];
  memory: ConversationMemory;
}

/** Turns one user message into a reply, running whatever tool calls it decides on for that user. */
export interface Agent {
  turn(input: TurnInput): Promise<TurnOutcome>;
}

/**
 * The default agent, with no network: the intent engine plans the calls, they
 * run through the same tools the MCP server offers (same validation, same
 * events), and the engine words the reply from what the tools returned.
 */
export const deterministicAgent: Agent = {
  async turn({ message, context, tools, userId }) {
    const plan = planTurn(message, context);
    const results: ToolResult[] = [];
    for (const call of plan.calls) {
      const tool = tools.find((candidate) => candidate.name === call.tool);
      if (!tool) throw new Error(`the intent engine planned an unknown tool ${call.tool}`);
      results.push(await runTool(tool, userId, call.input));
      // Later calls of a plan may depend on the earlier ones having worked ("delete both").
      if (!("result" in results[results.length - 1]!)) break;
    }
    const { reply, memory } = describeResults(plan, results, context);
    const actions = results.flatMap((result): ChatAction[] => ("result" in result ? [result] : []));
    return { reply, actions, memory };
  },
};

/** Runs one call; a refusal of the service layer (4xx: not found, invalid) becomes part of the result, anything else propagates. */
export async function runTool(tool: TaskTool, userId: string, input: unknown): Promise<ToolResult> {
  try {
    return { tool: tool.name, input, result: await tool.run(userId, input) };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) {
      return { tool: tool.name, input, error: { status: error.status, message: error.message } };
    }
    throw error;
  }
}
