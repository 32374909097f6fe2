import type { Logger } from "@todo/common";
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import type { TaskTool } from "../tools/task-tools.ts";
import { deterministicAgent, runTool, type Agent, type TurnInput, type TurnOutcome } from "./agent.ts";
import type { ChatAction } from "./conversation-store.ts";

export interface LlmAgentOptions {
  /** An OpenAI-compatible chat-completions API, e.g. https://api.openai.com/v1. */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** The whole turn (every model round trip) must finish within this, or the fallback answers. */
  timeoutMs: number;
  /** Answers when the model fails, times out or loops; normally the deterministic agent. */
  fallback: Agent;
  /** Model round trips per turn before giving up (default 6). */
  maxSteps?: number;
  logger?: Logger;
}

/**
 * The hosted-model agent: the model chooses among the same tools the MCP
 * server offers (their TypeBox schemas are the function parameters), and each
 * call runs through those tools, for the caller only. A tool's refusal (4xx)
 * goes back to the model so it can correct itself.
 *
 * Errors, timeouts and runaway loops fall back to the deterministic agent, but
 * only while nothing has been changed yet: once a tool ran, replaying the
 * message through another agent could do the same thing twice, so the turn
 * then ends with what was done.
 */
export function llmAgent(options: LlmAgentOptions): Agent {
  const maxSteps = options.maxSteps ?? 6;
  // The turn's own deadline governs; the client must not retry behind our back.
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: options.apiKey, maxRetries: 0, timeout: options.timeoutMs });

  return {
    async turn(input) {
      const actions: ChatAction[] = [];
      const deadline = AbortSignal.timeout(options.timeoutMs);
      try {
        const reply = await converse(input, actions, deadline);
        return { reply, actions, memory: input.context.memory };
      } catch (error) {
        options.logger?.warn("hosted model failed; answering without it", {
          error: error instanceof Error ? error.message : String(error),
          toolsRun: actions.length,
        });
        if (actions.length === 0) return await options.fallback.turn(input);
        return { reply: summariseActions(actions), actions, memory: input.context.memory } satisfies TurnOutcome;
      }
    },
  };

  async function converse(input: TurnInput, actions: ChatAction[], signal: AbortSignal): Promise<string> {
    const messages: ChatCompletionMessageParam[] = [
      { role: "system", content: systemPrompt(input) },
      ...(input.history ?? []).map((message): ChatCompletionMessageParam => ({ role: message.role, content: message.content })),
      { role: "user", content: input.message },
    ];
    const tools = input.tools.map(toFunctionTool);
    for (let step = 0; step < maxSteps; step++) {
      const completion = await client.chat.completions.create(
        { model: options.model, messages, tools, tool_choice: "auto" },
        { signal },
      );
      const message = completion.choices[0]?.message;
      if (!message) throw new Error("the model answered without a message");
      const calls = (message.tool_calls ?? []).filter((call) => call.type === "function");
      if (calls.length === 0) {
        if (!message.content) throw new Error("the model answered with neither text nor tool calls");
        return message.content;
      }
      messages.push({ role: "assistant", content: message.content ?? null, tool_calls: calls });
      for (const call of calls) {
        const content = await runModelCall(input, call.function.name, call.function.arguments, actions);
        messages.push({ role: "tool", tool_call_id: call.id, content });
      }
    }
    throw new Error(`the model did not finish within ${maxSteps} steps`);
  }
}

/** Runs one call the model asked for; what the model reads back is JSON (the result or the refusal). */
async function runModelCall(input: TurnInput, name: string, rawArguments: string, actions: ChatAction[]): Promise<string> {
  const tool = input.tools.find((candidate) => candidate.name === name);
  if (!tool) return JSON.stringify({ error: `unknown tool ${name}` });
  let args: unknown;
  try {
    args = rawArguments.trim() === "" ? {} : JSON.parse(rawArguments);
  } catch {
    return JSON.stringify({ error: "arguments are not valid JSON" });
  }
  const outcome = await runTool(tool, input.userId, args);
  if ("result" in outcome) {
    actions.push({ tool: name, input: args, result: outcome.result });
    return JSON.stringify(outcome.result ?? null);
  }
  return JSON.stringify({ error: outcome.error });
}

function toFunctionTool(tool: TaskTool): ChatCompletionTool {
  // TypeBox schemas carry symbol keys; a JSON round trip leaves the plain JSON Schema.
  const parameters = JSON.parse(JSON.stringify(tool.input)) as Record<string, unknown>;
  return { type: "function", function: { name: tool.name, description: tool.description, parameters } };
}

function systemPrompt({ context }: TurnInput): string {
  const tasks = context.tasks.map((task) => JSON.stringify(task)).join("\n");
  return [
    "You manage the user's todo list with the tools provided. Use them; never invent task ids.",
    "Ask before deleting more than one task. Reply briefly, in the language and script of the user's message (English, Urdu in Urdu script, or Roman Urdu in Latin letters).",
    `Now: ${context.now.toISOString()}. The user's time zone: ${context.timeZone}. Send instants as ISO 8601 with an offset.`,
    tasks ? `The user's current tasks:\n${tasks}` : "The user has no tasks yet.",
  ].join("\n");
}

function summariseActions(actions: ChatAction[]): string {
  return `Done: ${actions.map((action) => action.tool).join(", ")}.`;
}

/** The hosted model's configuration (LLM_BASE_URL, LLM_MODEL); absent means the deterministic agent only. */
export interface LlmConfig {
  baseUrl: string;
  model: string;
  /** Name of the Dapr secret holding the API key (default `llm-api-key`). */
  apiKeySecret?: string;
  /** The key itself (tests); read from the secret store when omitted. */
  apiKey?: string;
  /** Per turn, before falling back (default 20 s). */
  timeoutMs?: number;
}

/**
 * The agent the chat endpoint uses: the hosted model when configured and its
 * key can be read, the deterministic engine otherwise. A missing key is a
 * warning, not a failed start: the assistant still works without a model.
 */
export async function chooseAgent(
  config: LlmConfig | undefined,
  readSecret: (name: string) => Promise<string | undefined>,
  logger: Logger,
): Promise<Agent> {
  if (!config) return deterministicAgent;
  const secretName = config.apiKeySecret ?? "llm-api-key";
  let apiKey = config.apiKey;
  if (apiKey === undefined) {
    try {
      apiKey = await readSecret(secretName);
    } catch (error) {
      logger.warn("could not read the hosted model's API key", { secret: secretName, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (!apiKey) {
    logger.warn("hosted model configured without an API key; using the deterministic assistant", { secret: secretName });
    return deterministicAgent;
  }
  logger.info("chat assistant uses a hosted model", { baseUrl: config.baseUrl, model: config.model });
  return llmAgent({ baseUrl: config.baseUrl, apiKey, model: config.model, timeoutMs: config.timeoutMs ?? 20_000, fallback: deterministicAgent, logger });
}
