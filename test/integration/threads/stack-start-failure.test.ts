// `npm start` (local/start.ts) when one of its threaded servers cannot start: a clear startup
// error naming the server and the process exits, instead of a hang.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";

it("exits with an error naming DynamoDB when its port is taken", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "payrail-start-failure-"));
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  const address = blocker.address();
  const taken = typeof address === "object" && address ? address.port : 0;
  try {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "local/start.ts", "--memory", "--data", dataDir],
      {
        stdio: ["ignore", "pipe", "pipe"],
        // Port 0 (ephemeral) for every server but DynamoDB.
        env: {
          ...process.env,
          NODE_NO_WARNINGS: "1",
          PAYRAIL_GRAPHQL_PORT: "0",
          PAYRAIL_KAFKA_PORT: "0",
          PAYRAIL_S3_PORT: "0",
          PAYRAIL_DYNAMODB_PORT: String(taken),
        },
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Bounded: the test's own timeout ends a hang; the child is killed in any case.
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code).toBe(1);
    expect(output).toContain("DynamoDB (dynalite) did not start");
    expect(output).toContain("EADDRINUSE");
    expect(output).not.toContain("local stack ready");
  } finally {
    await new Promise((resolve) => blocker.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}, 60_000);
