import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

const CLI = new URL("../../bin/payrail-kafka", import.meta.url).pathname;

export type BrokerProcess = { child: ChildProcess; port: number; exited: Promise<number | null> };

/**
 * Starts `payrail-kafka` as a child process (for crash tests and benchmarks, where the broker
 * must not share the caller's event loop) and resolves once it prints its listening line.
 */
export function spawnBroker(args: string[], timeoutMs = 20_000): Promise<BrokerProcess> {
  const child = spawn(process.execPath, [CLI, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("broker process did not start in time"));
    }, timeoutMs);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const listening = (JSON.parse(line) as { listening?: string }).listening;
      if (!listening) return;
      clearTimeout(timer);
      resolve({ child, port: Number(listening.slice(listening.lastIndexOf(":") + 1)), exited });
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`broker process exited with ${code}`));
    });
  });
}
