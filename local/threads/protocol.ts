// Messages between a server thread and the thread that started it (server-thread.ts,
// serve.ts): plain data, so they cross with the structured clone.

export type ThreadError = { name: string; message: string; stack?: string; code?: string };

/** `report`: the server's figures so far (e.g. calls it counted), answered with the same `id`. */
export type ToServerThread = { type: "stop" } | { type: "report"; id: number };

export type FromServerThread<Info> =
  | { type: "ready"; info: Info; threadId: number; osThreadId?: number }
  | { type: "failed"; error: ThreadError }
  | { type: "report"; id: number; report: unknown }
  | { type: "stopped" }
  | { type: "stop-failed"; error: ThreadError };

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { name: error.name, message: error.message, stack: error.stack, ...(code ? { code } : {}) };
  }
  return { name: "Error", message: String(error) };
}

/** An Error on this side for one thrown on the other, keeping its code and the thread's stack. */
export function fromThreadError(what: string, error: ThreadError): Error & { code?: string } {
  const rebuilt = new Error(`${what}: ${error.message}`) as Error & { code?: string };
  if (error.code) rebuilt.code = error.code;
  if (error.stack) rebuilt.stack = `${rebuilt.stack}\n  in the server thread: ${error.stack}`;
  return rebuilt;
}
