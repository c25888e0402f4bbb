// `npm start` (local/start.ts) as a command: --help prints the usage and exits 0, an
// unknown flag exits 2 with the usage line and no stack trace, before anything starts.
import { execFile } from "node:child_process";
import { expect, it } from "vitest";
import { START_USAGE } from "../../../local/start-args";

function start(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", "local/start.ts", ...args],
      { env: { ...process.env, NODE_NO_WARNINGS: "1" }, timeout: 30_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

it("--help prints the usage and exits 0", async () => {
  const { code, stdout } = await start("--help");
  expect(code).toBe(0);
  expect(stdout.split("\n")[0]).toBe(START_USAGE);
  expect(stdout).toContain("--ephemeral-ports");
});

it("an unknown flag exits 2 with the reason and the usage line only", async () => {
  const { code, stdout, stderr } = await start("--memroy");
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expect(stderr).toBe(`Unknown option '--memroy'\n${START_USAGE}\n`);
});
