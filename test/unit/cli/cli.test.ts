import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../bin/cli";

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await runCli(argv, (line) => lines.push(line));
  return { code, text: lines.join("\n") };
}

const COMMANDS = [
  ["dlq", "list"],
  ["dlq", "replay"],
  ["tenant", "create"],
  ["tenant", "delete"],
  ["refunds", "backfill-index"],
];

describe("payrail CLI flags", () => {
  it.each(COMMANDS)("%s %s --help prints its usage line and exits 0", async (group, action) => {
    for (const help of ["--help", "-h"]) {
      const { code, text } = await cli(group, action, help);
      expect(code).toBe(0);
      expect(text).toMatch(new RegExp(`^usage: payrail ${group} ${action} `));
    }
  });

  it.each(COMMANDS)("%s %s refuses an unknown flag with the usage line and exit 2", async (group, action) => {
    const { code, text } = await cli(group, action, "--topik", "x");
    expect(code).toBe(2);
    expect(text).toContain("Unknown option '--topik'");
    expect(text).toContain(`usage: payrail ${group} ${action} `);
  });

  it("refuses a value missing after a string flag and a stray argument", async () => {
    expect(await cli("dlq", "list", "--topic")).toMatchObject({
      code: 2,
      text: expect.stringContaining("usage:"),
    });
    const stray = await cli("dlq", "list", "--topic", "t", "extra");
    expect(stray.code).toBe(2);
    expect(stray.text).toContain("unexpected argument 'extra'");
  });

  it("answers help for a group or the whole CLI, and usage with exit 2 for an unknown command", async () => {
    const all = await cli("--help");
    expect(all.code).toBe(0);
    expect(all.text.split("\n")).toHaveLength(COMMANDS.length);
    const tenant = await cli("tenant", "--help");
    expect(tenant).toMatchObject({ code: 0, text: expect.stringMatching(/^usage: payrail tenant create /) });
    expect(tenant.text).not.toContain("dlq");
    expect(await cli("tenant", "rename", "x")).toMatchObject({ code: 2 });
    expect(await cli("nope")).toMatchObject({
      code: 2,
      text: expect.stringContaining("usage: payrail dlq list"),
    });
  });

  it("exits 2 from bin/payrail on an unknown flag, before doing anything", async () => {
    const run = promisify(execFile)("node", ["bin/payrail", "dlq", "list", "--topic", "t", "--bogus"], {
      env: { ...process.env, KAFKA_BROKERS: "" },
    });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toContain("Unknown option '--bogus'");
  });
});
