// The whole local stack as `npm start` runs it, in a child process (so a test can kill -9
// it), on ephemeral ports, plus the clients the e2e tests use against it: aws-amplify
// over TLS with the stack's local CA, and plain GraphQL over HTTP.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Amplify } from "aws-amplify";
import { generateClient } from "aws-amplify/api";
import WebSocket from "ws";
import type { LocalStackInfo } from "../../local/start";

export type RunningStack = {
  info: LocalStackInfo;
  child: ChildProcess;
  /** Everything the stack printed (stdout and stderr), for scanning. */
  output(): string;
  stop(): Promise<void>;
  kill9(): Promise<void>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** PAYRAIL_STACK_NODE_ARGS adds node flags to the stack, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
export async function startStack(dataDir: string, options: { memory?: boolean } = {}): Promise<RunningStack> {
  const nodeArgs = process.env.PAYRAIL_STACK_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const args = [...nodeArgs, "--import", "tsx", "local/start.ts", "--ephemeral-ports", "--data", dataDir];
  const child = spawn(process.execPath, options.memory ? [...args, "--memory"] : args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  const chunks: string[] = [];
  child.stdout?.on("data", (c: Buffer) => chunks.push(c.toString()));
  child.stderr?.on("data", (c: Buffer) => chunks.push(c.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 60_000;
  let info: LocalStackInfo | undefined;
  while (!info && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`stack exited: ${chunks.join("").slice(-2000)}`);
    try {
      const read = JSON.parse(await readFile(join(dataDir, "local.json"), "utf8")) as LocalStackInfo;
      if (read.pid === child.pid) info = read;
    } catch {
      // not written yet
    }
    if (!info) await sleep(100);
  }
  if (!info) {
    child.kill("SIGKILL");
    throw new Error(`stack not ready in 60 s: ${chunks.join("").slice(-3000)}`);
  }
  return {
    info,
    child,
    output: () => chunks.join(""),
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Makes every WebSocket of this process (Amplify's real-time one) trust the stack's local CA. */
export async function trustStackCa(info: LocalStackInfo): Promise<void> {
  const ca = await readFile(info.endpoints.tlsCa, "utf8");
  class TrustingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  }
  (globalThis as { WebSocket: unknown }).WebSocket = TrustingWebSocket;
}

/** Points aws-amplify at the stack, trusting its local CA for the wss:// real-time socket. */
/** The part of Amplify's client the tests use (its full generic type is too deep for tsc). */
export type AmplifyClient = { graphql(options: Record<string, unknown>): unknown };

export async function connectAmplify(info: LocalStackInfo): Promise<AmplifyClient> {
  await trustStackCa(info);
  // HTTP goes to the plain endpoint; Amplify opens the real-time socket as wss:// on the same
  // host and port, which the emulator also serves with TLS.
  Amplify.configure({
    API: { GraphQL: { endpoint: info.endpoints.graphql, region: "eu-west-1", defaultAuthMode: "lambda" } },
  });
  return generateClient() as unknown as AmplifyClient;
}

export async function gql<T = Record<string, unknown>>(
  info: LocalStackInfo,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T; errors?: { message: string; errorType?: string }[] }> {
  const response = await fetch(info.endpoints.graphql, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify({ query, variables }),
    // A request caught by a crash must fail, not hang the test.
    signal: AbortSignal.timeout(15_000),
  });
  return (await response.json()) as { data?: T; errors?: { message: string; errorType?: string }[] };
}
