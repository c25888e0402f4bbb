// AppSync real-time message shapes (subprotocol graphql-ws).
import { scrubErrors, scrubErrorText } from "../scrub";

export type ErrorEntry = { errorType: string; message: string; errorCode?: number };

export const CONNECTION_TIMEOUT_MS = 300_000;

export const ack = () => ({
  type: "connection_ack",
  payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS },
});
export const keepAlive = () => ({ type: "ka" });
export const startAck = (id: string) => ({ type: "start_ack", id });
export const complete = (id: string) => ({ type: "complete", id });
export const error = (id: string | undefined, errors: ErrorEntry[]) => ({
  type: "error",
  ...(id === undefined ? {} : { id }),
  payload: { errors },
});
export const connectionError = (errors: ErrorEntry[]) => ({ type: "connection_error", payload: { errors } });

/** The auth headers a client sends: `header` query param (base64) or `header-<base64url>` subprotocol. */
export function handshakeHeaders(url: URL, protocols: string[]): Record<string, string> | null {
  const fromProtocol = protocols.find((p) => p.startsWith("header-"));
  const encoded = fromProtocol ? fromProtocol.slice("header-".length) : url.searchParams.get("header");
  if (!encoded) return null;
  try {
    const parsed = JSON.parse(Buffer.from(encoded, fromProtocol ? "base64url" : "base64").toString("utf8"));
    return parsed && typeof parsed === "object" ? lowerCaseKeys(parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const lowerCaseKeys = (headers: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));

/** A frame as it may leave: error frames lose card data from their messages and echoed id. */
export function scrubFrame(frame: unknown): unknown {
  if (!frame || typeof frame !== "object" || !("type" in frame)) return frame;
  if (frame.type !== "error" && frame.type !== "connection_error") return frame;
  const { id, payload } = frame as { id?: unknown; payload?: unknown };
  return {
    ...frame,
    ...(typeof id === "string" ? { id: scrubErrorText(id) } : {}),
    payload: scrubErrors(payload),
  };
}
