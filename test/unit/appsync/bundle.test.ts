import { describe, expect, it } from "vitest";
import { apiPath, payrailApi } from "../../../api/definition";
import { bundleAppSyncCode } from "../../../local/appsync/bundle";

describe("bundleAppSyncCode", () => {
  it("bundles every resolver of the Payrail API as ESM importing @aws-appsync/utils at run time", async () => {
    const files = new Set([...payrailApi.functions, ...payrailApi.resolvers].map((r) => r.code));
    for (const file of files) {
      const code = await bundleAppSyncCode(apiPath(payrailApi, file));
      expect(code).toMatch(/export\s*\{[^}]*request[^}]*\}/);
      expect(code).not.toContain("require(");
      if (code.includes("util.")) expect(code).toMatch(/from "@aws-appsync\/utils"/);
    }
  });
});
