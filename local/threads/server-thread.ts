// Runs a server in its own worker thread, so that its CPU is not the main thread's: start
// with `startServerThread(name, entry, options)` where `entry` is a module calling
// `serveInThread` (serve.ts), get back what the server reported once listening and `stop()`.
//
// - A failure to start (an import error, EADDRINUSE, a thread that exits or stays silent)
//   rejects with an error naming the server; the thread is terminated.
// - `stop()` asks the server to close (it finishes its own shutdown, e.g. the broker flushes
//   its log) and then terminates the thread; a server that does not answer within
//   `stopTimeoutMs` is terminated anyway and `stop()` rejects.
// - The thread dies with the process (kill -9 included). A thread that fails after it was
//   ready goes to `onCrash`, which by default throws on this thread, as an uncaught error of
//   the server would have done when it ran here.
// - `report()` asks the server for its figures so far (what its `report` returns).
// - The thread's stdout/stderr are the process's.
import { Worker } from "node:worker_threads";
import { type FromServerThread, fromThreadError, type ToServerThread } from "./protocol";

export type ServerThread<Info> = {
  info: Info;
  /** The worker thread's id (`threadId` of node:worker_threads). */
  threadId: number;
  /** Its id in /proc/<pid>/task (Linux only). */
  osThreadId?: number;
  /** The server's figures so far (undefined when it reports none). */
  report(): Promise<unknown>;
  stop(): Promise<void>;
};

export type ServerThreadSettings = {
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
  onCrash?: (error: Error) => void;
};

type ServerReady<Info> = Extract<FromServerThread<Info>, { type: "ready" }>;

const BOOT = new URL("./boot.mjs", import.meta.url);

export async function startServerThread<Options, Info>(
  name: string,
  entry: URL,
  options: Options,
  settings: ServerThreadSettings = {},
): Promise<ServerThread<Info>> {
  const startTimeoutMs = settings.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = settings.stopTimeoutMs ?? 15_000;
  const onCrash =
    settings.onCrash ??
    ((error: Error) => {
      throw error;
    });
  const worker = new Worker(BOOT, { workerData: { entry: entry.href, options } });
  let exited = false;
  const exit = new Promise<number>((resolve) =>
    worker.once("exit", (code) => {
      exited = true;
      resolve(code);
    }),
  );

  const ready = await new Promise<ServerReady<Info>>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const fail = (error: Error) => {
      done();
      void worker.terminate();
      reject(error);
    };
    const onMessage = (message: FromServerThread<Info>) => {
      if (message.type === "ready") {
        done();
        resolve(message);
      } else if (message.type === "failed") {
        fail(fromThreadError(`${name} did not start`, message.error));
      }
    };
    const onError = (error: Error) => fail(wrap(`${name} did not start: its thread failed`, error));
    const onExit = (code: number) =>
      fail(new Error(`${name} did not start: its thread exited (code ${code}) before the server was ready`));
    const timer = setTimeout(
      () => fail(new Error(`${name} did not start: no answer from its thread within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });

  let stopping: Promise<void> | undefined;
  let crashed = false;
  const crash = (error: Error) => {
    if (stopping || crashed) return;
    crashed = true;
    onCrash(error);
  };
  worker.on("error", (error) => crash(wrap(`${name} failed in its thread`, error)));
  worker.on("exit", (code) => crash(new Error(`${name}: its thread exited (code ${code}) while serving`)));

  const stop = async () => {
    if (exited) return;
    const answer = new Promise<FromServerThread<Info> | "exited">((resolve) => {
      worker.on("message", (message: FromServerThread<Info>) => {
        if (message.type === "stopped" || message.type === "stop-failed") resolve(message);
      });
      void exit.then(() => resolve("exited"));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), stopTimeoutMs);
    });
    worker.postMessage({ type: "stop" } satisfies ToServerThread);
    const outcome = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    await worker.terminate();
    if (outcome === "timeout") {
      throw new Error(`${name} did not stop within ${stopTimeoutMs} ms; its thread was terminated`);
    }
    if (outcome !== "exited" && outcome.type === "stop-failed") {
      throw fromThreadError(`${name} did not stop cleanly`, outcome.error);
    }
  };

  let reports = 0;
  const report = () =>
    new Promise<unknown>((resolve, reject) => {
      if (exited) return reject(new Error(`${name}: its thread has exited`));
      const id = ++reports;
      const onMessage = (message: FromServerThread<Info>) => {
        if (message.type !== "report" || message.id !== id) return;
        worker.off("message", onMessage);
        resolve(message.report);
      };
      worker.on("message", onMessage);
      void exit.then(() => {
        worker.off("message", onMessage);
        reject(new Error(`${name}: its thread exited before it reported`));
      });
      worker.postMessage({ type: "report", id } satisfies ToServerThread);
    });

  return {
    info: ready.info,
    threadId: ready.threadId,
    osThreadId: ready.osThreadId,
    report,
    stop() {
      stopping ??= stop();
      return stopping;
    },
  };
}

function wrap(what: string, error: Error): Error {
  const wrapped = new Error(`${what}: ${error.message}`, { cause: error }) as Error & { code?: string };
  const code = (error as NodeJS.ErrnoException).code;
  if (code) wrapped.code = code;
  return wrapped;
}
