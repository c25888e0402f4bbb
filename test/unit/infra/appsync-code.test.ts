import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiPath, payrailApi } from "../../../api/definition";
import { bundleAppsyncJs } from "../../../infra/constructs/appsync-code";
import { bundleAppSyncCode } from "../../../local/appsync/bundle";

const infraDir = join(payrailApi.baseDir, "infra");

describe("APPSYNC_JS code deployed by infra", () => {
  it("is byte-for-byte the bundle the emulator runs, for every resolver and function", async () => {
    const files = new Set([...payrailApi.functions, ...payrailApi.resolvers].map((r) => r.code));
    for (const file of files) {
      expect(bundleAppsyncJs(payrailApi.baseDir, file)).toBe(
        await bundleAppSyncCode(apiPath(payrailApi, file)),
      );
    }
  });

  it("infra imports nothing from the local stack", () => {
    const sources = readdirSync(infraDir, { recursive: true, encoding: "utf8" }).filter((f) =>
      f.endsWith(".ts"),
    );
    expect(sources.length).toBeGreaterThan(10);
    const offenders = sources.filter((f) =>
      /from\s+["'][./]*local\//.test(readFileSync(join(infraDir, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
