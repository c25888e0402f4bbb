import type { AppSyncAuthorizerEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize } from "../../../consumers/authorizer/authorize";
import { dynamoDbControlPlane } from "../../../consumers/persistence/dynamodb/control-plane";
import type { ControlPlane } from "../../../consumers/persistence/ports/control-plane";
import { documentClient } from "../../../consumers/platform/aws";
import type { DynamoDbCall } from "../../../consumers/platform/call-counter";
import { controlPlaneTable } from "../../../core/storage/tables";
import { issueApiToken } from "../../../local/provisioning";
import { type LocalStack, startLocalStack, TEST_ENV } from "../persistence/local-stack";

let stack: LocalStack;
let controlPlane: ControlPlane;
let adminToken: string;
let partnerToken: string;

beforeAll(async () => {
  stack = await startLocalStack();
  adminToken = (await stack.provision("acme")).apiToken ?? "";
  await stack.provision("globex", "us");
  controlPlane = dynamoDbControlPlane(stack.documents, controlPlaneTable(TEST_ENV));
  partnerToken = await issueApiToken(controlPlane, "acme", { scopes: ["payments:read", "payments:write"] });
});
afterAll(() => stack.stop());

const event = (authorizationToken: string): AppSyncAuthorizerEvent => ({
  authorizationToken,
  requestContext: {
    apiId: "local",
    accountId: "000000000000",
    requestId: "req-1",
    queryString: "query { payments { items { id } } }",
    variables: {},
  },
  requestHeaders: {},
});

const WEBHOOK_FIELDS = [
  "Query.webhookEndpoints",
  "Query.webhookDeliveries",
  "Mutation.createWebhookEndpoint",
  "Mutation.updateWebhookEndpoint",
  "Mutation.deleteWebhookEndpoint",
  "Mutation.rotateWebhookSecret",
  "Mutation.redeliverWebhook",
];

describe("Lambda authorizer", () => {
  it("authorizes an admin token with its tenant, scopes and a principal that is not the token", async () => {
    const result = await authorize(event(adminToken), controlPlane);
    expect(result.isAuthorized).toBe(true);
    expect(result.resolverContext).toMatchObject({
      tenantId: "acme",
      scopes: "payments:read,payments:write,payments:review,webhooks:manage",
    });
    expect(result.resolverContext?.principal).toMatch(/^tk_[0-9a-f]{12}$/);
    expect(JSON.stringify(result)).not.toContain(adminToken.split("_")[2]);
    expect(result.deniedFields).toBeUndefined();
    expect(result.ttlOverride).toBe(0);
  });

  it("reads the token and its tenant in one DynamoDB call per request", async () => {
    const calls: DynamoDbCall[] = [];
    const counted = dynamoDbControlPlane(
      documentClient({ endpoint: stack.dynamoEndpoint, onDynamoDbCall: (call) => calls.push(call) }),
      controlPlaneTable(TEST_ENV),
    );
    expect((await authorize(event(adminToken), counted)).isAuthorized).toBe(true);
    expect(
      (await authorize(event(`${adminToken.slice(0, -1)}${adminToken.endsWith("0") ? "1" : "0"}`), counted))
        .isAuthorized,
    ).toBe(false);
    expect(calls).toEqual([
      { operation: "BatchGetItem", tables: [controlPlaneTable(TEST_ENV)] },
      { operation: "BatchGetItem", tables: [controlPlaneTable(TEST_ENV)] },
    ]);
  });

  it("denies the review mutations and webhook management to a partner token", async () => {
    const result = await authorize(event(partnerToken), controlPlane);
    expect(result.isAuthorized).toBe(true);
    expect(result.deniedFields).toEqual([
      "Mutation.approvePayment",
      "Mutation.declinePayment",
      ...WEBHOOK_FIELDS,
    ]);
  });

  it("rejects unknown, malformed, forged-tenant and revoked tokens", async () => {
    const secret = adminToken.slice("prl_acme_".length);
    for (const token of ["", "nonsense", `prl_acme_${secret}x`, `prl_globex_${secret}`]) {
      expect((await authorize(event(token), controlPlane)).isAuthorized).toBe(false);
    }
    const replacement = await issueApiToken(controlPlane, "acme", {
      scopes: ["payments:read"],
      replace: true,
    });
    expect((await authorize(event(adminToken), controlPlane)).isAuthorized).toBe(false);
    expect((await authorize(event(partnerToken), controlPlane)).isAuthorized).toBe(false);
    const fresh = await authorize(event(replacement), controlPlane);
    expect(fresh.isAuthorized).toBe(true);
    expect(fresh.deniedFields).toEqual([
      "Mutation.initiatePayment",
      "Mutation.approvePayment",
      "Mutation.declinePayment",
      ...WEBHOOK_FIELDS,
    ]);
  });

  it("denies every token of a disabled tenant, and issues it no new one", async () => {
    const globexToken = await issueApiToken(controlPlane, "globex", { scopes: ["payments:read"] });
    expect((await authorize(event(globexToken), controlPlane)).isAuthorized).toBe(true);
    expect(await controlPlane.disableTenant("globex", "2026-12-03T08:00:00.000Z")).toBe(true);
    expect(await authorize(event(globexToken), controlPlane)).toEqual({
      isAuthorized: false,
      ttlOverride: 0,
    });
    await expect(issueApiToken(controlPlane, "globex", { scopes: ["payments:read"] })).rejects.toThrow(
      "tenant globex is disabled",
    );
    expect(await controlPlane.disableTenant("nobody", "2026-12-03T08:00:00.000Z")).toBe(false);
  });
});
