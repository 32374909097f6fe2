import type { DaprClient } from "./types.ts";

/** The client method that failed; named like the method so logs point at the call site. */
export type DaprOperation = keyof DaprClient;

export interface DaprErrorInit {
  operation: DaprOperation;
  /** HTTP status from the sidecar; 0 when no response arrived. */
  status: number;
  errorCode?: string;
  message: string;
  details?: unknown;
  cause?: unknown;
}

/** A Dapr API call that did not succeed. `message` is daprd's own message when it sent one. */
export class DaprError extends Error {
  override readonly name: string = "DaprError";
  readonly operation: DaprOperation;
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly details: unknown;

  constructor(init: DaprErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.operation = init.operation;
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.details = init.details;
  }
}

/** A state write lost an optimistic-concurrency race: re-read, then retry or give up. */
export class EtagMismatchError extends DaprError {
  override readonly name: string = "EtagMismatchError";
}

export class DaprNotFoundError extends DaprError {
  override readonly name: string = "DaprNotFoundError";
}

/** daprd runs with DAPR_API_TOKEN and our token is missing or wrong. */
export class DaprUnauthorizedError extends DaprError {
  override readonly name: string = "DaprUnauthorizedError";
}

/** The sidecar could not be reached or did not answer in time; `cause` holds the transport error. */
export class DaprUnavailableError extends DaprError {
  override readonly name: string = "DaprUnavailableError";

  constructor(operation: DaprOperation, cause: unknown, timeoutMs?: number) {
    const reason = isTimeout(cause) && timeoutMs !== undefined
      ? `no answer within ${timeoutMs} ms`
      : cause instanceof Error ? cause.message : String(cause);
    super({ operation, status: 0, message: `Dapr sidecar unavailable (${operation}): ${reason}`, cause });
  }
}

const stateWrites: ReadonlySet<DaprOperation> = new Set<DaprOperation>(["saveState", "deleteState", "transaction"]);

/** Builds the typed error for a non-2xx reply, reading daprd's `{errorCode, message}` body when there is one. */
export async function daprErrorFromResponse(operation: DaprOperation, response: Response): Promise<DaprError> {
  const text = await response.text().catch(() => "");
  const parsed = parseErrorBody(text);
  const init: DaprErrorInit = {
    operation,
    status: response.status,
    errorCode: parsed.errorCode,
    // The 401 for a bad API token is plain text, so the text itself is the message.
    message: parsed.message ?? (text.trim() || `HTTP ${response.status} from the Dapr sidecar`),
    details: parsed.details,
  };
  return createDaprError(init);
}

/** Picks the subclass a caller would want to catch for this status and operation. */
export function createDaprError(init: DaprErrorInit): DaprError {
  if (init.status === 401) return new DaprUnauthorizedError(init);
  if (init.status === 404) return new DaprNotFoundError(init);
  if (stateWrites.has(init.operation) && isEtagConflict(init)) return new EtagMismatchError(init);
  return new DaprError(init);
}

/**
 * daprd answers a failed GET of a job with 500 and a scheduler "not found" message
 * (some versions 404). Only a Dapr JSON error counts, so a 404 for an unknown route
 * (jobs API not served at all) is still an error.
 */
export function isJobNotFound(error: unknown): boolean {
  if (!(error instanceof DaprError) || error.errorCode === undefined) return false;
  if (error.status !== 404 && error.status !== 500) return false;
  return /not.?found/i.test(error.errorCode) || /not.?found/i.test(error.message);
}

function isEtagConflict(init: DaprErrorInit): boolean {
  // Save/delete answer 409 on a mismatch; a transaction reports every failure, ETag
  // mismatch included, as 500 ERR_STATE_TRANSACTION, so the message is all we have.
  if (init.status === 409) return true;
  return init.errorCode === "ERR_STATE_TRANSACTION" && /etag/i.test(init.message);
}

function parseErrorBody(text: string): { errorCode?: string; message?: string; details?: unknown } {
  if (!text.trim().startsWith("{")) return {};
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    return {
      errorCode: typeof body.errorCode === "string" ? body.errorCode : undefined,
      message: typeof body.message === "string" && body.message !== "" ? body.message : undefined,
      details: body.details,
    };
  } catch {
    return {};
  }
}

function isTimeout(cause: unknown): boolean {
  return cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
}
