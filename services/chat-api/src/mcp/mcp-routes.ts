import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { AppError, controlCharacterError, findControlCharacter, requireUser, type Logger, type TokenService } from "@todo/common";
import { Elysia } from "elysia";
import type { TaskTool } from "../tools/task-tools.ts";

export interface McpRoutesContext {
  tools: TaskTool[];
  tokens: TokenService;
  /** Where failures other than the service layer's refusals are reported. */
  logger?: Logger;
}

/**
 * The task tools over MCP's Streamable HTTP transport at `/mcp`, for the
 * caller named by `Authorization: Bearer <jwt>` (401 otherwise).
 *
 * Stateless: each POST gets its own server and transport, so any replica can
 * answer any request and nothing outlives it. Without a session there is no
 * stream for the server to push on, so GET (the standalone SSE stream) and
 * DELETE (session end) answer 405, as the SDK's stateless servers do; the
 * SDK client treats a 405 on GET as "no server-initiated messages".
 */
export function mcpRoutes(ctx: McpRoutesContext) {
  const { tools, logger } = ctx;
  return new Elysia()
    .use(requireUser(ctx.tokens))
    .post(
      "/mcp",
      async ({ request, userId }) => {
        const server = toolServer(tools, userId, logger);
        // JSON responses rather than SSE: every answer is complete when the request ends, so closing here is safe.
        const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        await server.connect(transport);
        try {
          return await transport.handleRequest(request);
        } finally {
          await server.close();
        }
      },
      // The transport reads the body itself (JSON-RPC parse errors, batches).
      { parse: "none", detail: { tags: ["mcp"], summary: "MCP Streamable HTTP endpoint (stateless, JSON responses)" } },
    )
    .get("/mcp", () => methodNotAllowed(), { detail: { hide: true } })
    .delete("/mcp", () => methodNotAllowed(), { detail: { hide: true } });
}

function methodNotAllowed(): Response {
  return Response.json(
    { jsonrpc: "2.0", error: { code: ErrorCode.ConnectionClosed, message: "Method not allowed: this MCP server is stateless" }, id: null },
    { status: 405, headers: { allow: "POST" } },
  );
}

/** An MCP server whose tools act for `userId` only. */
function toolServer(tools: TaskTool[], userId: string, logger: Logger | undefined): Server {
  const server = new Server({ name: "todo-tasks", version: "1.0.0" }, { capabilities: { tools: {} } });
  const listed: Tool[] = tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: jsonSchemaOf(tool) }));

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const tool = tools.find((candidate) => candidate.name === request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `unknown tool: ${request.params.name}`);
    try {
      // The transport parsed this body, not Elysia: the same rule as every other input, here.
      const withControl = findControlCharacter(request.params.arguments ?? {});
      if (withControl) throw controlCharacterError("argument", withControl);
      const result = await tool.run(userId, request.params.arguments ?? {});
      return { content: [{ type: "text", text: JSON.stringify(result) }], structuredContent: result as Record<string, unknown> };
    } catch (error) {
      // A refusal (invalid input, not found — including another user's task) is a tool result the model can read and act on.
      if (error instanceof AppError && error.status < 500) {
        const refusal = { error: { code: error.code, message: error.message, details: error.details } };
        return { isError: true, content: [{ type: "text", text: JSON.stringify(refusal) }] };
      }
      logger?.error("mcp tool failed", { error, tool: tool.name });
      throw new McpError(ErrorCode.InternalError, "internal error");
    }
  });
  return server;
}

/** The tool's TypeBox schema as plain JSON Schema (TypeBox keeps its own markers on symbol keys, which this drops). */
function jsonSchemaOf(tool: TaskTool): Tool["inputSchema"] {
  return JSON.parse(JSON.stringify(tool.input)) as Tool["inputSchema"];
}
