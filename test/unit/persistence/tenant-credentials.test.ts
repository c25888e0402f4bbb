import type { AssumeRoleCommand, AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { storeFactory } from "../../../consumers/persistence/stores";
import { documentClient, tenantClients } from "../../../consumers/platform/aws";
import { deriveSecrets } from "../../../consumers/platform/secrets";
import {
  type StsSender,
  tenantCredentials,
  tenantRoleArn,
} from "../../../consumers/platform/tenant-credentials";

const TEMPLATE = "arn:aws:iam::123456789012:role/payrail-prod-{tenant}-risk";
const MINUTE = 60_000;

/** Stands in for STS: records every AssumeRole and issues credentials valid for `validMs`. */
function fakeSts(clock: { now: number }, validMs = 60 * MINUTE) {
  const calls: AssumeRoleCommand["input"][] = [];
  let failNext = false;
  const sts: StsSender = {
    async send(command) {
      calls.push(command.input);
      if (failNext) {
        failNext = false;
        throw new Error("throttled");
      }
      return {
        Credentials: {
          AccessKeyId: `AKID${calls.length}`,
          SecretAccessKey: "secret",
          SessionToken: `token-${command.input.RoleArn}`,
          Expiration: new Date(clock.now + validMs),
        },
        $metadata: {},
      } satisfies AssumeRoleCommandOutput;
    },
  };
  return { sts, calls, failOnce: () => (failNext = true) };
}

describe("tenantRoleArn", () => {
  it("puts the tenant where the template says", () => {
    expect(tenantRoleArn(TEMPLATE, "acme")).toBe("arn:aws:iam::123456789012:role/payrail-prod-acme-risk");
  });

  it("refuses a template without {tenant} and anything that is not a tenant id", () => {
    expect(() => tenantRoleArn("arn:aws:iam::1:role/x", "acme")).toThrow(/\{tenant\}/);
    for (const bad of ["*", "acme/../globex", "", "ACME", "acme*"]) {
      expect(() => tenantRoleArn(TEMPLATE, bad)).toThrow(/tenant id/);
    }
  });
});

describe("tenantCredentials", () => {
  const setup = (refreshBeforeMs?: number) => {
    const clock = { now: Date.parse("2026-11-27T06:00:00Z") };
    const fake = fakeSts(clock);
    let stsClients = 0;
    const credentialsOf = tenantCredentials({
      roleArnTemplate: TEMPLATE,
      createSts: () => {
        stsClients += 1;
        return fake.sts;
      },
      service: "risk",
      now: () => clock.now,
      ...(refreshBeforeMs === undefined ? {} : { refreshBeforeMs }),
    });
    return { clock, fake, credentialsOf, stsClients: () => stsClients };
  };

  it("assumes each tenant's own role once and reuses the credentials", async () => {
    const { fake, credentialsOf, stsClients } = setup();
    const first = await credentialsOf("acme")();
    const again = await credentialsOf("acme")();
    const globex = await credentialsOf("globex")();
    expect(again).toBe(first);
    expect(globex.sessionToken).not.toBe(first.sessionToken);
    expect(fake.calls.map((c) => c.RoleArn)).toEqual([
      "arn:aws:iam::123456789012:role/payrail-prod-acme-risk",
      "arn:aws:iam::123456789012:role/payrail-prod-globex-risk",
    ]);
    expect(fake.calls.map((c) => c.RoleSessionName)).toEqual(["risk-acme", "risk-globex"]);
    expect(stsClients()).toBe(1);
  });

  it("renews credentials once they are within the refresh window of expiry", async () => {
    const { clock, fake, credentialsOf } = setup(5 * MINUTE);
    const first = await credentialsOf("acme")();
    clock.now += 54 * MINUTE; // 6 minutes left
    expect(await credentialsOf("acme")()).toBe(first);
    clock.now += 2 * MINUTE; // 4 minutes left
    const renewed = await credentialsOf("acme")();
    expect(renewed).not.toBe(first);
    expect(renewed.expiration?.getTime()).toBe(clock.now + 60 * MINUTE);
    expect(fake.calls).toHaveLength(2);
  });

  it("shares one AssumeRole among concurrent callers and does not remember a failure", async () => {
    const { fake, credentialsOf } = setup();
    const provider = credentialsOf("acme");
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a).toBe(b);
    expect(fake.calls).toHaveLength(1);

    const other = credentialsOf("globex");
    fake.failOnce();
    await expect(other()).rejects.toThrow("throttled");
    expect((await other()).accessKeyId).toBe("AKID3");
  });

  it("refuses an invalid tenant before calling STS", () => {
    const { fake, credentialsOf } = setup();
    expect(() => credentialsOf("*")).toThrow(/tenant id/);
    expect(fake.calls).toHaveLength(0);
  });
});

describe("tenantClients", () => {
  it("locally (no PAYRAIL_TENANT_ROLE_ARN) shares one client per kind and never asks STS", () => {
    const clients = tenantClients({ AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1" }, () => {
      throw new Error("STS must not be used locally");
    });
    expect(clients.documents("acme")).toBe(clients.documents("globex"));
    expect(clients.s3("acme")).toBe(clients.s3("globex"));
  });

  it("on AWS signs each tenant's clients with that tenant's role credentials", async () => {
    const clock = { now: Date.now() };
    const fake = fakeSts(clock);
    const clients = tenantClients(
      { PAYRAIL_TENANT_ROLE_ARN: TEMPLATE, PAYRAIL_CONSUMER: "audit", AWS_REGION: "eu-west-1" },
      () => fake.sts,
    );
    const acme = clients.documents("acme");
    expect(clients.documents("acme")).toBe(acme);
    expect(clients.documents("globex")).not.toBe(acme);
    const credentials = await acme.config.credentials();
    expect(credentials.sessionToken).toBe("token-arn:aws:iam::123456789012:role/payrail-prod-acme-risk");
    const bucketCredentials = await clients.s3("globex").config.credentials();
    expect(bucketCredentials.sessionToken).toContain("payrail-prod-globex-risk");
    expect(fake.calls.map((c) => c.RoleSessionName)).toEqual(["audit-acme", "audit-globex"]);
  });
});

describe("storeFactory", () => {
  it("builds a tenant's stores on that tenant's client, once per tenant", () => {
    const shared = documentClient({ endpoint: "http://127.0.0.1:1" });
    const asked: string[] = [];
    const stores = storeFactory(shared, "test", deriveSecrets("s"), (tenantId) => {
      asked.push(tenantId);
      return shared;
    });
    expect(stores.forTenant("acme")).toBe(stores.forTenant("acme"));
    stores.forTenant("globex");
    expect(asked).toEqual(["acme", "globex"]);
  });
});
