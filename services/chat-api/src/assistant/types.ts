/**
 * The shapes shared by the intent engine, the agents and the chat routes.
 * Memory is stored as JSON in the conversation row, so it holds only plain data
 * and every field is optional (a new conversation starts from `{}`).
 */

import type { ToolName } from "../tools/task-tools.ts";

export type { ToolName };

/** English, Urdu in Urdu script, Urdu in Latin letters (Roman Urdu): replies follow the user's script. */
export type Language = "en" | "ur" | "ur-Latn";

/** The fields of a task the engine needs to resolve references by title; a full Task JSON fits. */
export interface TaskSummary {
  id: string;
  title: string;
  status: "pending" | "completed";
  priority?: "high" | "medium" | "low" | "none";
  tags?: string[];
  dueAt?: string | null;
  remindAt?: string | null;
  recurrence?: string | null;
}

export interface PlannedCall {
  tool: ToolName;
  input: Record<string, unknown>;
}

/** A question waiting for the user's answer: a destructive action to confirm, or which task was meant. */
export type PendingQuestion =
  | { kind: "confirm"; calls: PlannedCall[]; language: Language }
  /** `calls` hold the placeholder id "?" for the task the user still has to pick among `candidates`. */
  | { kind: "clarify"; calls: PlannedCall[]; candidates: string[]; language: Language };

export interface ConversationMemory {
  /** Task ids of the last list shown, in the order shown ("the second one"). */
  listed?: string[];
  /** Task ids the last turn acted on ("it", "both"). */
  touched?: string[];
  pending?: PendingQuestion;
  /** The calls that take back the last change the assistant made ("undo"). */
  undo?: PlannedCall[];
  /** The tool the last turn used ("and call mom too" repeats it). */
  lastTool?: ToolName;
}

export interface TurnContext {
  now: Date;
  /** IANA zone from the user's profile; "UTC" by default. */
  timeZone: string;
  /** The caller's pending and recently completed tasks. */
  tasks: TaskSummary[];
  memory: ConversationMemory;
}

export interface TurnPlan {
  language: Language;
  /** Run in order; empty when the engine answers by itself (help, a question, a refusal). */
  calls: PlannedCall[];
  /** Set when there are no calls. */
  reply?: string;
  /** The memory after this turn, before the results are known. */
  memory: ConversationMemory;
  /** Set when the calls take back the previous change ("undo"). */
  undoing?: boolean;
  /** Set when the plan asks for confirmation instead of acting (the calls wait in memory.pending). */
  confirm?: { prompt: string; calls: PlannedCall[] };
}

/** What one planned call returned: a result, or a refusal of the service layer (4xx). */
export type ToolResult =
  | { tool: ToolName; input: unknown; result: unknown }
  | { tool: ToolName; input: unknown; error: { status: number; message: string } };
