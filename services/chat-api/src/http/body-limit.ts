import { errorBody } from "@todo/common";
import { Elysia } from "elysia";

/**
 * Answers 413 for a request body over `maxBytes` before any route parses it.
 * Content-Length is checked first; a body without one (chunked) or one that
 * does not match its header is measured by reading a copy, stopping as soon
 * as it passes the limit, so an oversized upload never sits whole in memory.
 * Works through `app.handle(...)`, where no server-level limit applies.
 */
export function bodyLimit(maxBytes: number) {
  return new Elysia({ name: "body-limit", seed: maxBytes }).onRequest(async ({ request, set }) => {
    if (request.body === null) return;
    const declared = request.headers.get("content-length");
    const tooLarge =
      (declared !== null && !(Number(declared) <= maxBytes)) || (await exceedsLimit(request.clone(), maxBytes));
    if (!tooLarge) return;
    set.status = 413;
    // The unread rest of the body stays unread: the client is told to stop rather than drained.
    set.headers.connection = "close";
    return errorBody("payload_too_large", `request body exceeds ${maxBytes} bytes`, { maxBytes });
  });
}

async function exceedsLimit(copy: Request, maxBytes: number): Promise<boolean> {
  const reader = copy.body?.getReader();
  if (!reader) return false;
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      size += value.byteLength;
      if (size > maxBytes) return true;
    }
  } finally {
    // Not awaited: cancelling one branch of a tee()d body settles only when the other is cancelled too.
    reader.cancel().catch(() => {});
  }
}
