import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Published, PublishRequest, TargetName, TargetReady } from "./target";

export type RunningTarget = TargetReady & {
  stop: () => Promise<void>;
  /** Publishes inside the target as if the mutation had run; resolves with the server-side time. */
  publish: (field: string, data: Record<string, unknown>) => Promise<Published["published"]>;
};

const START_TIMEOUT_MS = 60_000;
const PUBLISH_TIMEOUT_MS = 10_000;

/** Starts a benchmark target in its own Node process (via tsx) and waits until it listens. */
export function spawnTarget(name: TargetName): Promise<RunningTarget> {
  const child = fork(fileURLToPath(new URL("./target.ts", import.meta.url)), [name], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before it was ready`));
    });
    child.once("message", (message) => {
      clearTimeout(timer);
      let stopping: Promise<void> | undefined;
      resolve({
        ...(message as TargetReady),
        stop: () => (stopping ??= stopChild(child)),
        publish: (field, data) => publishIn(child, { publish: { field, data } }),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.send("stop");
  });
}

function publishIn(child: ChildProcess, request: PublishRequest): Promise<Published["published"]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("publish got no answer")), PUBLISH_TIMEOUT_MS);
    child.once("message", (message) => {
      clearTimeout(timer);
      resolve((message as Published).published);
    });
    child.send(request);
  });
}
