import { DescribeTableCommand, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoDbControlPlane } from "../../../consumers/persistence/dynamodb/control-plane";
import { hashApiToken } from "../../../consumers/persistence/ports/control-plane";
import { controlPlaneTable, PAYMENT_INDEX, tenantTables } from "../../../core/storage/tables";
import { type LocalStack, startLocalStack, TEST_ENV } from "./local-stack";

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(() => stack.stop());

describe("provisionTenant", () => {
  it("creates the tenant's tables, bucket and one API token, stored only as a hash", async () => {
    const first = await stack.provision("acme");
    expect(first.apiToken).toMatch(/^prl_acme_[A-Za-z0-9]{40}$/);
    expect(first.created.sort()).toEqual(
      [
        "test-acme-attempts",
        "test-acme-idempotency",
        "test-acme-payment-events",
        "test-acme-payments",
        "test-acme-risk",
        "test-acme-vault",
        "test-acme-webhook-deliveries",
        "test-acme-webhook-endpoints",
        "test-payrail-acme-eu",
      ].sort(),
    );
    const tables = await stack.target.dynamodb.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain("test-payrail-control");
    await stack.target.s3.send(new HeadBucketCommand({ Bucket: first.bucket }));

    const control = await stack.documents.send(new ScanCommand({ TableName: controlPlaneTable(TEST_ENV) }));
    const dump = JSON.stringify(control.Items);
    expect(dump).not.toContain(first.apiToken);
    expect(dump).toContain(hashApiToken(first.apiToken ?? ""));
  });

  it("creates nothing twice and issues no second token on a re-run", async () => {
    const again = await stack.provision("acme");
    expect(again.created).toEqual([]);
    expect(again.apiToken).toBeUndefined();
  });

  it("rotates: a new token, the old one revoked", async () => {
    const controlPlane = dynamoDbControlPlane(stack.documents, controlPlaneTable(TEST_ENV));
    const before = await controlPlane.getTenant("globex");
    expect(before).toBeUndefined();
    const first = await stack.provision("globex", "us");
    const rotated = await stack.provision("globex", "us", { rotate: true });
    expect(rotated.apiToken).toBeDefined();
    expect(rotated.apiToken).not.toBe(first.apiToken);
    const old = await controlPlane.getApiToken(hashApiToken(first.apiToken ?? ""));
    const fresh = await controlPlane.getApiToken(hashApiToken(rotated.apiToken ?? ""));
    expect(old?.revokedAt).toBeDefined();
    expect(fresh).toMatchObject({
      tenantId: "globex",
      scopes: ["payments:read", "payments:write", "payments:review", "webhooks:manage"],
    });
    expect(fresh?.revokedAt).toBeUndefined();
  });

  it("registers a given token once, and refuses one of another tenant", async () => {
    const token = "prl_initech_abcDEF123";
    const first = await stack.provision("initech", "eu", { apiToken: token });
    const again = await stack.provision("initech", "eu", { apiToken: token });
    expect(first.apiToken).toBe(token);
    expect(again.apiToken).toBeUndefined();
    await expect(stack.provision("initech", "eu", { apiToken: "prl_acme_x1" })).rejects.toThrow(
      /does not belong/,
    );
    await expect(stack.provision("initech", "eu", { role: "auditor", rotate: true })).rejects.toThrow(
      /no role/,
    );
  });

  it("rejects a tenant id that cannot be part of a table or bucket name", async () => {
    await expect(stack.provision("Bad_Tenant")).rejects.toThrow(/must match/);
  });

  it("creates the payments table with the sparse index of rows with a refund waiting", async () => {
    const { Table } = await stack.target.dynamodb.send(
      new DescribeTableCommand({ TableName: tenantTables(TEST_ENV, "acme").payments }),
    );
    expect(
      Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === PAYMENT_INDEX.refundWaiting),
    ).toMatchObject({
      KeySchema: [
        { AttributeName: "refundWaitingShard", KeyType: "HASH" },
        { AttributeName: "createdKey", KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "KEYS_ONLY" },
    });
  });
});
