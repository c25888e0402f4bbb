// @payrail/client as an app installs it: built with its own tsconfig, imported by package
// name through its exports map, and packed with only the built files and the README.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const PACKAGE = resolve(__dirname, "../../../clients/typescript");

beforeAll(async () => {
  await run(
    process.execPath,
    [resolve(PACKAGE, "../../node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: PACKAGE,
    },
  );
}, 60_000);

describe("@payrail/client package", () => {
  it("exports the client, the error classes and the documents from its main entry", async () => {
    const client = await import("@payrail/client");
    expect(typeof client.createPayrailClient).toBe("function");
    expect(new client.ValidationError("ValidationError", "x")).toBeInstanceOf(client.PayrailError);
    expect(client.InitiatePaymentDocument.kind).toBe("Document");
    expect(client.CapturePaymentDocument.kind).toBe("Document");
    expect(client.RefundPaymentDocument.kind).toBe("Document");
    expect([...client.TERMINAL_STATUSES].sort()).toEqual([
      "CANCELED",
      "DECLINED",
      "FAILED",
      "REFUNDED",
      "SETTLED",
    ]);
    // Node-only code is not in the main entry (it stays usable in a browser).
    expect("verifyWebhookSignature" in client).toBe(false);
  });

  it("exports verifyWebhookSignature from @payrail/client/webhooks", async () => {
    const webhooks = await import("@payrail/client/webhooks");
    expect(typeof webhooks.verifyWebhookSignature).toBe("function");
  });

  it("packs the built code with its types, the operations and the README, and nothing else", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: PACKAGE,
    });
    const [packed] = JSON.parse(stdout) as [{ name: string; files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    expect(packed.name).toBe("@payrail/client");
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "dist/index.js",
        "dist/index.d.ts",
        "dist/webhooks.js",
        "dist/webhooks.d.ts",
        "dist/generated/graphql.js",
        "operations/initiate-payment.graphql",
      ]),
    );
    expect(files.filter((f) => !/^(dist|operations)\/|^(package\.json|README\.md)$/.test(f))).toEqual([]);
  });
});
