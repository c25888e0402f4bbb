// `npm start`'s flags (local/start-args.ts): known flags parse, anything else is a usage error.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStartArgs, START_USAGE, UsageError } from "../../../local/start-args";

describe("parseStartArgs", () => {
  it("defaults to .payrail and config, on disk, on the default ports", () => {
    expect(parseStartArgs([])).toEqual({
      help: false,
      memory: false,
      ephemeral: false,
      dataDir: resolve(".payrail"),
      configDir: resolve("config"),
    });
  });

  it("reads every flag", () => {
    expect(
      parseStartArgs(["--memory", "--ephemeral-ports", "--data", "/tmp/d", "--config", "cfg", "--help"]),
    ).toEqual({ help: true, memory: true, ephemeral: true, dataDir: "/tmp/d", configDir: resolve("cfg") });
  });

  it.each([
    [["--memroy"], "Unknown option '--memroy'"],
    [["--data"], "Option '--data <value>' argument missing"],
    [["stray"], "Unexpected argument 'stray'"],
  ])("refuses %j with the reason and the usage line", (argv, reason) => {
    let thrown: unknown;
    try {
      parseStartArgs(argv);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as Error).message).toBe(`${reason}\n${START_USAGE}`);
  });
});
