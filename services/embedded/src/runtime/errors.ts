/** daprd's error reply: JSON `{ errorCode, message }` with the status its HTTP API uses. */
export function daprError(status: number, errorCode: string, message: string): Response {
  return Response.json({ errorCode, message }, { status });
}

/** daprd answers success without a body as 204. */
export function noContent(headers?: HeadersInit): Response {
  return new Response(null, { status: 204, headers });
}

/** Reads a JSON body; undefined when it is missing or malformed (callers answer 400). */
export async function readJson(request: Request): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await request.text();
  if (text.trim() === "") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
