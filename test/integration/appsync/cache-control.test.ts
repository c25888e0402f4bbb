import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUERY_MAX_AGE_SECONDS } from "../../../api/definition";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi } from "../../fixtures/appsync/payrail-api";

const PAYMENT = `query One($id: ID!) { payment(id: $id) { id status } }`;
const APPROVE = `mutation Approve($id: ID!) { approvePayment(id: $id, reason: "ok") { id status } }`;

async function post(url: string, query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: TOKENS.acme },
    body: JSON.stringify({ query, variables }),
  });
  return {
    response,
    body: (await response.json()) as { data: unknown; errors?: { errorType?: string }[] },
  };
}

describe("Cache-Control on GraphQL responses", () => {
  let emulator: AppSyncEmulator;

  beforeAll(async () => {
    emulator = await startAppSyncEmulator({ api: fixturePayrailApi, logger: () => {} });
  });
  afterAll(() => emulator.stop());

  it("a query answers with a private max-age taken from the API's ctx.env", async () => {
    const { response, body } = await post(emulator.url, PAYMENT, { id: "pay_acme" });
    expect(body.errors).toBeUndefined();
    expect(response.headers.get("cache-control")).toBe(`private, max-age=${QUERY_MAX_AGE_SECONDS}`);
  });

  it("the header follows the definition's environment, not a constant of the resolver", async () => {
    const api = { ...fixturePayrailApi, environmentVariables: { QUERY_MAX_AGE_SECONDS: "42" } };
    const other = await startAppSyncEmulator({ api, logger: () => {} });
    try {
      const { response } = await post(other.url, PAYMENT, { id: "pay_acme" });
      expect(response.headers.get("cache-control")).toBe("private, max-age=42");
    } finally {
      await other.stop();
    }
  });

  it("a mutation answers without Cache-Control", async () => {
    const { response, body } = await post(emulator.url, APPROVE, { id: "pay_acme" });
    // The fixture handler refuses the approval: proof the mutation's pipeline really ran.
    expect(body.errors?.[0]?.errorType).toBe("InvalidState");
    expect(response.headers.get("cache-control")).toBeNull();
  });
});
