import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireEntry } from "../../../infra/constructs/service-function";
import { REPO_ROOT } from "./synth";

let empty: string;

beforeAll(async () => {
  empty = await mkdtemp(join(tmpdir(), "payrail-entries-"));
});

afterAll(async () => {
  await rm(empty, { recursive: true, force: true });
});

describe("bundle entries", () => {
  it("resolves an existing module under the root", () => {
    expect(requireEntry(REPO_ROOT, "consumers/authorizer/handler.ts")).toBe(
      join(REPO_ROOT, "consumers/authorizer/handler.ts"),
    );
  });

  it("stops synth with a message naming the missing module", () => {
    expect(() => requireEntry(empty, "consumers/risk/handler.ts")).toThrow(
      `consumers/risk/handler.ts does not exist under ${empty}`,
    );
  });
});
