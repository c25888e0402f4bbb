// The whole API path as a client sees it: HTTP → AppSync emulator → Lambda authorizer →
// APPSYNC_JS resolvers → these handlers (loaded by the emulator from api/definition.ts,
// wired from the environment) → dynalite and a real local broker.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payrailApi } from "../../../api/definition";
import { dynamoDbControlPlane } from "../../../consumers/persistence/dynamodb/control-plane";
import { controlPlaneTable } from "../../../core/storage/tables";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { issueApiToken } from "../../../local/provisioning";
import { TEST_ENV } from "../persistence/local-stack";
import { CARD_NUMBER, cardInput, sepaInput, startWiredStack } from "./support";

let wired: Awaited<ReturnType<typeof startWiredStack>>;
let emulator: AppSyncEmulator;
const tokens = { acmeAdmin: "", acmePartner: "", globexAdmin: "" };

beforeAll(async () => {
  wired = await startWiredStack();
  tokens.acmeAdmin = wired.tokens.acme;
  tokens.globexAdmin = wired.tokens.globex;
  const controlPlane = dynamoDbControlPlane(wired.stack.documents, controlPlaneTable(TEST_ENV));
  tokens.acmePartner = await issueApiToken(controlPlane, "acme", {
    scopes: ["payments:read", "payments:write"],
  });
  emulator = await startAppSyncEmulator({ api: payrailApi, port: 0, logger: () => {} });
});
afterAll(async () => {
  await emulator?.stop();
  await wired?.stop();
});

type GraphQLAnswer = {
  data?: Record<string, unknown> | null;
  errors?: { errorType?: string; message: string }[];
};

async function gql(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLAnswer> {
  const response = await fetch(emulator.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLAnswer;
}

const INITIATE = `mutation ($input: InitiatePaymentInput!) {
  initiatePayment(input: $input) { id status amount currency correlationId payer { cardLast4 cardBrand } }
}`;
const PAYMENT = "query ($id: ID!) { payment(id: $id) { id status } }";
const PAYMENTS = "query { payments(limit: 100) { items { id } nextToken } }";
const APPROVE = 'mutation ($id: ID!) { approvePayment(id: $id, reason: "ok") { id status } }';

const errorTypes = (answer: GraphQLAnswer) => answer.errors?.map((e) => e.errorType);

describe("GraphQL API through the AppSync emulator", () => {
  let acmePaymentId = "";

  it("initiates with the tenant from the token, and replays the same answer for the same key", async () => {
    const input = { ...cardInput("gql-1"), correlationId: "trace-gql-1" };
    const first = await gql(tokens.acmeAdmin, INITIATE, { input });
    expect(first.errors).toBeUndefined();
    const payment = first.data?.initiatePayment as { id: string };
    expect(payment).toMatchObject({ status: "INITIATED", amount: "12.50", correlationId: "trace-gql-1" });
    acmePaymentId = payment.id;
    expect(await gql(tokens.acmeAdmin, INITIATE, { input })).toEqual(first);
    const conflict = await gql(tokens.acmeAdmin, INITIATE, { input: { ...input, amount: "13.00" } });
    expect(errorTypes(conflict)).toEqual(["IdempotencyConflict"]);
    expect(JSON.stringify([first, conflict])).not.toContain(CARD_NUMBER);
  });

  it("shows another tenant's payment exactly like one that does not exist", async () => {
    const own = await gql(tokens.acmeAdmin, PAYMENT, { id: acmePaymentId });
    expect(own.data?.payment).toMatchObject({ id: acmePaymentId });
    const foreign = await gql(tokens.globexAdmin, PAYMENT, { id: acmePaymentId });
    const missing = await gql(tokens.globexAdmin, PAYMENT, { id: "pay_missing" });
    expect(foreign).toEqual({ data: { payment: null } });
    expect(foreign).toEqual(missing);
    const list = await gql(tokens.globexAdmin, PAYMENTS);
    expect(JSON.stringify(list)).not.toContain(acmePaymentId);
    const reviewForeign = await gql(tokens.globexAdmin, APPROVE, { id: acmePaymentId });
    const reviewMissing = await gql(tokens.globexAdmin, APPROVE, { id: "pay_missing" });
    expect(errorTypes(reviewForeign)).toEqual(["NotFound"]);
    expect(reviewForeign).toEqual(reviewMissing);
  });

  it("keeps review to admin tokens and refuses unknown tokens", async () => {
    const partner = await gql(tokens.acmePartner, APPROVE, { id: acmePaymentId });
    expect(partner.data?.approvePayment ?? null).toBeNull();
    expect(errorTypes(partner)?.[0]).toMatch(/Unauthorized/);
    const admin = await gql(tokens.acmeAdmin, APPROVE, { id: acmePaymentId });
    expect(errorTypes(admin)).toEqual(["InvalidState"]);
    // Another last character (one of 62 tokens already ends in "x").
    const last = tokens.acmeAdmin.slice(-1) === "x" ? "y" : "x";
    const forged = await gql(`${tokens.acmeAdmin.slice(0, -1)}${last}`, PAYMENTS);
    expect(forged.data ?? null).toBeNull();
    expect(forged.errors?.length).toBeGreaterThan(0);
  });

  it("takes metadata as AppSync parses AWSJSON and answers bad metadata with the field", async () => {
    const META = `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id metadata } }`;
    const ok = await gql(tokens.acmeAdmin, META, { input: sepaInput("gql-meta-ok") });
    expect(ok).toEqual({
      data: { initiatePayment: { id: expect.any(String), metadata: JSON.stringify({ invoice: "A-1" }) } },
    });
    for (const [key, metadata] of [
      ["array", "[1,2]"],
      ["string", '"text"'],
      ["big", JSON.stringify({ note: "x".repeat(5000) })],
      ["card", JSON.stringify({ pan: CARD_NUMBER })],
      ["deep", `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`],
      ["proto", '{"__proto__":{"admin":true}}'],
      ["constructor", '{"x":{"constructor":{"prototype":1}}}'],
    ]) {
      const bad = await gql(tokens.acmeAdmin, META, { input: { ...sepaInput(`gql-meta-${key}`), metadata } });
      expect(bad.errors?.map((e) => [e.errorType, e.message.split(":")[0]])).toEqual([
        ["ValidationError", "input.metadata"],
      ]);
      expect(JSON.stringify(bad)).not.toContain(CARD_NUMBER);
      expect(JSON.stringify(bad)).not.toMatch(/InternalError|retry/i);
    }
  });

  it("refuses control and bidi-override characters in reference and names, counting characters", async () => {
    for (const [key, over, field] of [
      ["bidi", { reference: "inv \u202eexe.pdf" }, "input.reference"],
      ["ansi", { payer: { ...sepaInput("x").payer, name: "\u001b[31mAnn" } }, "input.payer.name"],
      ["long", { reference: "😀".repeat(141) }, "input.reference"],
    ] as const) {
      const bad = await gql(tokens.acmeAdmin, INITIATE, {
        input: { ...sepaInput(`gql-text-${key}`), ...over },
      });
      expect(bad.errors?.map((e) => [e.errorType, e.message.split(":")[0]])).toEqual([
        ["ValidationError", field],
      ]);
    }
    const emoji = await gql(tokens.acmeAdmin, INITIATE, {
      input: { ...sepaInput("gql-text-emoji"), reference: "😀".repeat(140) },
    });
    expect(emoji.errors).toBeUndefined();
  });
});
