import { afterEach, describe, expect, it } from "vitest";
import { pipelineContext } from "../../../consumers/pipeline/context";

const base = {
  serviceName: "status",
  env: "test",
  schemas: { byId: () => undefined, idOf: () => undefined } as never,
  publisher: { publish: async () => {} },
};

describe("pipelineContext", () => {
  const saved = process.env.PAYRAIL_TENANT_ROLE_ARN;
  afterEach(() => {
    if (saved === undefined) delete process.env.PAYRAIL_TENANT_ROLE_ARN;
    else process.env.PAYRAIL_TENANT_ROLE_ARN = saved;
  });

  it("gives each tenant its own clients when tenant roles are configured (AWS)", () => {
    process.env.PAYRAIL_TENANT_ROLE_ARN = "arn:aws:iam::123456789012:role/payrail-test-{tenant}-status";
    const ctx = pipelineContext(base);
    expect(ctx.dynamoFor("acme")).toBe(ctx.dynamoFor("acme"));
    expect(ctx.dynamoFor("acme")).not.toBe(ctx.dynamoFor("globex"));
    expect(ctx.s3For("acme")).not.toBe(ctx.s3For("globex"));
  });

  it("shares the given clients across tenants on the local stack", () => {
    delete process.env.PAYRAIL_TENANT_ROLE_ARN;
    const dynamo = {} as never;
    const s3 = {} as never;
    const ctx = pipelineContext({ ...base, dynamo, s3 });
    expect(ctx.dynamoFor("acme")).toBe(dynamo);
    expect(ctx.dynamoFor("globex")).toBe(dynamo);
    expect(ctx.s3For("globex")).toBe(s3);
  });
});
