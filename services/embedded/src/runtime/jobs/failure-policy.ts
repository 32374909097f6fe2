/**
 * What the Scheduler does when a trigger fails (the app answered non-2xx other
 * than 404, or could not be reached). Dapr 1.16+: `{"drop":{}}` or
 * `{"constant":{"interval":"5s","maxRetries":3}}`; without a policy, constant
 * 1 s with 3 retries.
 */
export type FailurePolicy = { kind: "drop" } | { kind: "constant"; intervalMs: number; maxRetries?: number };

/** The policy as the API takes and echoes it (protobuf JSON). */
export type FailurePolicyJson = { drop: Record<string, never> } | { constant: { interval?: string; maxRetries?: number } };

export const defaultFailurePolicy: FailurePolicy = { kind: "constant", intervalMs: 1_000, maxRetries: 3 };

export type FailurePolicyParse =
  | { ok: true; policy: FailurePolicy; json: FailurePolicyJson }
  | { ok: false; error: string };

/** Reads the request's `failurePolicy` (also `failure_policy`, `max_retries`, as protobuf JSON allows). */
export function parseFailurePolicy(value: unknown): FailurePolicyParse {
  if (!isObject(value)) return { ok: false, error: "failurePolicy must be an object" };
  const hasDrop = value.drop !== undefined && value.drop !== null;
  const constant = value.constant;
  const hasConstant = constant !== undefined && constant !== null;
  if (hasDrop && hasConstant) return { ok: false, error: "failurePolicy sets both drop and constant" };
  if (hasDrop) {
    if (!isObject(value.drop)) return { ok: false, error: "failurePolicy.drop must be an object" };
    return { ok: true, policy: { kind: "drop" }, json: { drop: {} } };
  }
  if (hasConstant) {
    if (!isObject(constant)) return { ok: false, error: "failurePolicy.constant must be an object" };
    const json: { interval?: string; maxRetries?: number } = {};
    let intervalMs = 0;
    if (constant.interval !== undefined && constant.interval !== null) {
      if (typeof constant.interval !== "string") return { ok: false, error: "failurePolicy.constant.interval must be a string" };
      const parsed = parseProtoDuration(constant.interval);
      if (parsed === undefined || parsed < 0) {
        return { ok: false, error: `invalid failurePolicy.constant.interval "${constant.interval}" (a protobuf Duration such as "5s" or "0.2s")` };
      }
      intervalMs = parsed;
      json.interval = constant.interval;
    }
    const maxRetriesValue = constant.maxRetries ?? constant.max_retries;
    let maxRetries: number | undefined;
    if (maxRetriesValue !== undefined && maxRetriesValue !== null) {
      maxRetries = toUint32(maxRetriesValue);
      if (maxRetries === undefined) return { ok: false, error: "failurePolicy.constant.maxRetries must be a non-negative integer" };
      json.maxRetries = maxRetries;
    }
    const policy: FailurePolicy = maxRetries === undefined ? { kind: "constant", intervalMs } : { kind: "constant", intervalMs, maxRetries };
    return { ok: true, policy, json: { constant: json } };
  }
  // A policy message with neither option set: nothing tells the Scheduler to retry.
  return { ok: true, policy: { kind: "drop" }, json: { drop: {} } };
}

/** How long to wait before the next attempt after `failedAttempts` failed calls; undefined = give up. */
export function retryDelayMs(policy: FailurePolicy, failedAttempts: number): number | undefined {
  if (policy.kind === "drop") return undefined;
  if (policy.maxRetries !== undefined && failedAttempts > policy.maxRetries) return undefined;
  return policy.intervalMs;
}

/** protobuf JSON Duration: seconds with up to nine fraction digits and an `s` suffix ("5s", "0.2s"). */
export function parseProtoDuration(text: string): number | undefined {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(text);
  if (!match) return undefined;
  const [, minus, seconds = "0", fraction = ""] = match;
  const ms = Number(seconds) * 1_000 + Number(`0.${fraction || "0"}`) * 1_000;
  return minus ? -ms : ms;
}

/** protobuf JSON uint32: a number or a decimal string holding an integer in range. */
export function toUint32(value: unknown): number | undefined {
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > 0xffff_ffff) return undefined;
  return n;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
