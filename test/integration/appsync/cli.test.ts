import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { gql } from "./helpers";

// The CLI serves the real Payrail definition (its resolvers bundled by esbuild) and
// stops cleanly on SIGTERM.
describe("local/appsync/cli.ts", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("starts on an ephemeral port, answers AppSync errors, and exits 0 on SIGTERM", async () => {
    child = spawn(
      process.execPath,
      ["--import", "tsx", "local/appsync/cli.ts", "--port", "0", "--api-key", "da2-cli"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s: ${stderr}`)), 60_000);
      child?.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /AppSync emulator: (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(stderr);
        if (found?.[1]) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child?.once("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const anonymous = await gql(url, {}, `{ payments { nextToken } }`);
    expect(anonymous).toEqual({
      status: 401,
      body: {
        errors: [{ errorType: "UnauthorizedException", message: "Valid authorization header not provided." }],
      },
    });
    // API_KEY is accepted as a mode, but no Payrail field allows it.
    const byKey = await gql(url, { "x-api-key": "da2-cli" }, `{ payments { nextToken } }`);
    expect(byKey.body.errors[0]).toMatchObject({ errorType: "Unauthorized", path: ["payments"] });
    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
