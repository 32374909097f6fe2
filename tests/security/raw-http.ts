import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request written byte for byte (any request target, any Host or none,
 * HTTP/1.0), which fetch would normalise or refuse to send. The answer is
 * read until the server closes the connection (`Connection: close`).
 */
export function rawRequest(port: number, head: string, body = "", timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${JSON.stringify(head.split("\r\n")[0])}`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const [statusLine = "", ...lines] = text.slice(0, end === -1 ? text.length : end).split("\r\n");
      const status = Number(statusLine.split(" ")[1]);
      if (!Number.isInteger(status)) return reject(new Error(`no HTTP answer to ${JSON.stringify(head.split("\r\n")[0])}: ${JSON.stringify(text.slice(0, 200))}`));
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status, headers, body: end === -1 ? "" : text.slice(end + 4) });
    });
    socket.write(head + "\r\n" + body);
  });
}

/** A request head: request line, then headers (a header with value undefined is left out), ending in the blank line. */
export function requestHead(
  method: string,
  target: string,
  headers: Record<string, string | undefined>,
  version: "HTTP/1.1" | "HTTP/1.0" = "HTTP/1.1",
): string {
  const lines = [`${method} ${target} ${version}`];
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) lines.push(`${name}: ${value}`);
  return lines.join("\r\n") + "\r\n";
}
