import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mskIamSasl, mskIamToken } from "../../../infra/runtime/msk-iam-token";
import { deployTenantStack, tenantDeployCommand } from "../../../infra/tenant-deploy";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "session" };
const at = new Date("2026-01-02T03:04:05Z");

function decode(token: string): URL {
  return new URL(Buffer.from(token, "base64url").toString("utf8"));
}

describe("MSK IAM token", () => {
  it("is a presigned kafka-cluster:Connect URL for the region, valid 15 minutes", async () => {
    const { value } = await mskIamToken("eu-west-1", credentials, at);
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = decode(value);
    expect(url.host).toBe("kafka.eu-west-1.amazonaws.com");
    expect(url.searchParams.get("Action")).toBe("kafka-cluster:Connect");
    expect(url.searchParams.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(url.searchParams.get("X-Amz-Credential")).toBe(
      "AKIDEXAMPLE/20260102/eu-west-1/kafka-cluster/aws4_request",
    );
    expect(url.searchParams.get("X-Amz-Date")).toBe("20260102T030405Z");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-Security-Token")).toBe("session");
    expect(url.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("signs with the secret: same inputs give the same signature, another secret another one", async () => {
    const signature = async (secretAccessKey: string) =>
      decode(
        (await mskIamToken("eu-west-1", { ...credentials, secretAccessKey }, at)).value,
      ).searchParams.get("X-Amz-Signature");
    expect(await signature("secret")).toBe(await signature("secret"));
    expect(await signature("other")).not.toBe(await signature("secret"));
  });
});

describe("MSK IAM SASL settings", () => {
  it("give kafkajs an OAUTHBEARER provider signing with the environment's current credentials", async () => {
    const env = { AWS_ACCESS_KEY_ID: "AKIDFROMENV", AWS_SECRET_ACCESS_KEY: "s" };
    const sasl = mskIamSasl("us-east-1", env);
    expect(sasl.mechanism).toBe("oauthbearer");
    const provider = (sasl as { oauthBearerProvider: () => Promise<{ value: string }> }).oauthBearerProvider;
    expect(decode((await provider()).value).searchParams.get("X-Amz-Credential")).toMatch(
      /^AKIDFROMENV\/\d{8}\/us-east-1\/kafka-cluster\/aws4_request$/,
    );
    env.AWS_ACCESS_KEY_ID = "AKIDROTATED";
    expect(decode((await provider()).value).searchParams.get("X-Amz-Credential")).toMatch(/^AKIDROTATED\//);
  });
});

describe("tenant deploy", () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "payrail-tenant-deploy-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("deploys the tenant's stack and the config-bearing stacks, with the environment as context", () => {
    expect(tenantDeployCommand({ tenantId: "acme", envName: "prod" })).toEqual([
      "npx",
      "cdk",
      "deploy",
      "Payrail-prod-Tenant-acme",
      "Payrail-prod-Catalog",
      "Payrail-prod-Api",
      "Payrail-prod-Services",
      "--exclusively",
      "--require-approval",
      "never",
      "-c",
      "payrail:env=prod",
    ]);
    expect(() => tenantDeployCommand({ tenantId: "Acme;rm", envName: "prod" })).toThrow(/invalid tenant id/);
    // The same ids config/tenants accepts (core/config/patterns.ts TENANT_ID), up to 32 characters.
    const longest = "t".repeat(32);
    expect(tenantDeployCommand({ tenantId: longest, envName: "prod" })).toContain(
      `Payrail-prod-Tenant-${longest}`,
    );
    expect(() => tenantDeployCommand({ tenantId: "t".repeat(33), envName: "prod" })).toThrow(
      /invalid tenant id/,
    );
  });

  it("runs the CLI in the repository root and reports its failure", async () => {
    const fake = join(dir, "fake-cdk.sh");
    await writeFile(
      fake,
      `#!/bin/sh\necho "$PWD $*" > "${dir}/args"\n[ "$2" = "Payrail-dev-Tenant-acme" ]\n`,
    );
    await chmod(fake, 0o755);
    await deployTenantStack({ tenantId: "acme", envName: "dev", root: dir, cdk: [fake] });
    expect(await readFile(join(dir, "args"), "utf8")).toBe(
      `${dir} deploy Payrail-dev-Tenant-acme Payrail-dev-Catalog Payrail-dev-Api Payrail-dev-Services --exclusively --require-approval never -c payrail:env=dev\n`,
    );
    await expect(
      deployTenantStack({ tenantId: "globex", envName: "dev", root: dir, cdk: [fake] }),
    ).rejects.toThrow(/failed \(exit 1\)/);
  });
});
