// The worker side of a server thread: a worker entry calls `serveInThread(start)`; `start`
// gets the options the other side passed and returns what to report (plain data) and how to
// stop. The server then runs on this thread's event loop, off the thread that started it.
import { readlinkSync } from "node:fs";
import { parentPort, threadId, workerData } from "node:worker_threads";
import { type FromServerThread, type ToServerThread, toThreadError } from "./protocol";

export type ThreadServer<Info> = {
  info: Info;
  stop(): Promise<void>;
  /** What the other side gets from `report()`: plain data. */
  report?(): unknown;
};

/** This thread's id in /proc/<pid>/task (Linux), for benchmarks that read its CPU time. */
function osThreadId(): number | undefined {
  try {
    return Number(readlinkSync("/proc/thread-self").split("/").at(-1));
  } catch {
    return undefined;
  }
}

export function serveInThread<Options, Info>(start: (options: Options) => Promise<ThreadServer<Info>>): void {
  const port = parentPort;
  if (!port) throw new Error("serveInThread runs in a worker thread (see local/threads/server-thread.ts)");
  const post = (message: FromServerThread<Info>) => port.postMessage(message);
  const { options } = workerData as { options: Options };
  start(options).then(
    (server) => {
      let stopping = false;
      port.on("message", (message: ToServerThread) => {
        if (message.type === "report") {
          post({ type: "report", id: message.id, report: server.report?.() });
          return;
        }
        if (stopping) return;
        stopping = true;
        server.stop().then(
          () => post({ type: "stopped" }),
          (error: unknown) => post({ type: "stop-failed", error: toThreadError(error) }),
        );
      });
      post({ type: "ready", info: server.info, threadId, osThreadId: osThreadId() });
    },
    (error: unknown) => post({ type: "failed", error: toThreadError(error) }),
  );
}
