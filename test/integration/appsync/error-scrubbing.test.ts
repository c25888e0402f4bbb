// #16: no card data in any error leaving the emulator's HTTP or WebSocket layer.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { TOKENS } from "../../fixtures/appsync/handlers/authorizer";
import { fixturePayrailApi, IAM_CREDENTIALS } from "../../fixtures/appsync/payrail-api";
import { gql, RealtimeClient } from "./helpers";

const PAN = "4111111111111111";
const TEST_PANS = [
  "4111111111111111",
  "5555555555554444",
  "378282246310005",
  "6011111111111117",
  "4000056655665556",
];
const CVC = "987";

const INITIATE = `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }`;
const card = (over: Record<string, unknown> = {}) => ({
  number: PAN,
  expiryMonth: 12,
  expiryYear: 2030,
  cvc: CVC,
  ...over,
});
const input = (cardFields: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  idempotencyKey: "scrub-1",
  amount: "12.50",
  currency: "EUR",
  paymentType: "CARD",
  payer: { name: "Ada", country: "GB", card: cardFields },
  ...over,
});

/** Every digit of every test PAN, contiguous or grouped the way cards are printed. */
const leaks = (text: string) =>
  TEST_PANS.some((pan) => text.replace(/[ -]/g, "").includes(pan)) || text.includes(`"${CVC}"`);

describe("no card data in emulator errors", () => {
  let emulator: AppSyncEmulator;
  const clients: RealtimeClient[] = [];
  const auth = { authorization: TOKENS.acme };
  const post = (query: string, variables: Record<string, unknown> = {}) =>
    gql(emulator.url, auth, query, variables);
  const messagesOf = (body: Record<string, unknown>) =>
    ((body.errors ?? []) as { message: string }[]).map((e) => e.message);

  beforeAll(async () => {
    emulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      iamCredentials: [IAM_CREDENTIALS],
      logger: () => {},
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await emulator.stop();
  });

  it.each([
    [
      "an unknown field in payer.card",
      card({ pin: "1234" }),
      /input\.payer\.card.*Field "pin" is not defined/,
    ],
    ["a missing cvc", { number: PAN, expiryMonth: 12, expiryYear: 2030 }, /input\.payer\.card.*"cvc"/],
    ["number as a JSON number", card({ number: Number(PAN) }), /input\.payer\.card\.number.*String cannot/],
    ["cvc as a JSON number", card({ cvc: Number(CVC) }), /input\.payer\.card\.cvc.*String cannot/],
  ])("variables: %s keeps the path and reason, not the card", async (_, cardFields, reason) => {
    const { status, body } = await post(INITIATE, { input: input(cardFields) });
    expect(status).toBe(200);
    const [message] = messagesOf(body);
    expect(message).toMatch(reason);
    expect(message).not.toContain(PAN);
    expect(message).not.toContain(CVC);
  });

  it("an inline literal card number or cvc is not echoed by validation", async () => {
    const query = `mutation { initiatePayment(input: {
      idempotencyKey: "k", amount: "1.00", currency: "EUR", paymentType: CARD,
      payer: { name: "A", card: { number: ${PAN}, expiryMonth: 1, expiryYear: 2030, cvc: ${CVC} } }
    }) { id } }`;
    const { status, body } = await post(query);
    expect(status).toBe(400);
    const messages = messagesOf(body);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join("\n")).toMatch(/String cannot represent a non string value/);
    for (const message of messages) expect(leaks(message)).toBe(false);
  });

  it.each([
    ["a String field", { amount: Number(PAN) }],
    ["an enum", { paymentType: PAN }],
    ["AWSJSON", { metadata: `{"note": ${PAN}` }],
    ["a string in an Int field", { payer: { name: "A", card: card({ expiryMonth: `pan ${PAN}` }) } }],
  ])("a PAN-like value in %s is not echoed", async (_, over) => {
    const { body } = await post(INITIATE, { input: input(card(), over) });
    const messages = messagesOf(body);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(leaks(message)).toBe(false);
  });

  it("a PAN-like ID is not echoed", async () => {
    const { body } = await post("query ($id: ID!) { payment(id: $id) { id } }", { id: { pan: PAN } });
    const [message] = messagesOf(body);
    expect(message).toMatch(/ID cannot represent/);
    expect(leaks(message ?? "")).toBe(false);
  });

  it("a card number in the URL path is not echoed by the 404", async () => {
    const response = await fetch(emulator.url.replace("/graphql", `/pay/${PAN}`));
    expect(response.status).toBe(404);
    expect(leaks(await response.text())).toBe(false);
  });

  describe("WebSocket", () => {
    const SUBSCRIBE =
      "subscription ($paymentId: ID) { onPaymentUpdated(paymentId: $paymentId) { paymentId } }";
    let client: RealtimeClient;
    const host = () => new URL(emulator.url).host;
    const raw = () => client.messages.map((m) => JSON.stringify(m)).join("\n");

    beforeAll(async () => {
      client = await RealtimeClient.connect(emulator.realtimeUrl, {
        host: host(),
        Authorization: TOKENS.acme,
      });
      clients.push(client);
      expect((await client.init()).type).toBe("connection_ack");
    });

    it("a start with card-like variables gets an error without them", async () => {
      const answer = await client.start(
        "start-vars",
        SUBSCRIBE,
        { paymentId: { card: card() } },
        {
          host: host(),
          Authorization: TOKENS.acme,
        },
      );
      expect(answer.type).toBe("error");
      expect(JSON.stringify(answer)).toMatch(/ID cannot represent/);
      expect(leaks(JSON.stringify(answer))).toBe(false);
    });

    it("start and stop ids that look like card numbers are not echoed", async () => {
      client.send({
        id: PAN,
        type: "start",
        payload: {
          data: JSON.stringify({ query: "subscription { nope }" }),
          extensions: { authorization: { host: host(), Authorization: TOKENS.acme } },
        },
      });
      // The error frame's id is scrubbed too, so it is found by its reason.
      await client.next((m) => m.type === "error" && JSON.stringify(m).includes("FieldUndefined"));
      client.send({ type: "stop", id: TEST_PANS[1] });
      await client.next((m) => m.type === "error" && JSON.stringify(m).includes("UnknownOperationError"));
      expect(leaks(raw())).toBe(false);
    });

    it("fan-out data errors do not echo a card-like value", async () => {
      const watch = "subscription { onPaymentUpdated { paymentId occurredAt } }";
      const ack = await client.start("watch", watch, {}, { host: host(), Authorization: TOKENS.acme });
      expect(ack.type).toBe("start_ack");
      const delivered = await emulator.publish("publishPaymentUpdate", {
        tenantId: "acme",
        paymentId: "pay_scrub",
        status: "SETTLED",
        paymentType: "CARD",
        amount: "12.50",
        currency: "EUR",
        sequence: 1,
        eventType: "PaymentSettled",
        correlationId: "corr-scrub",
        occurredAt: PAN,
      });
      expect(delivered).toBe(1);
      const data = await client.next((m) => m.type === "data" && m.id === "watch");
      expect(data.payload.errors?.[0]?.message).toMatch(/AWSDateTime/);
      expect(leaks(JSON.stringify(data))).toBe(false);
    });

    it("connection_error does not echo a card-like token", async () => {
      const rejected = await RealtimeClient.connect(emulator.realtimeUrl, {
        host: host(),
        Authorization: `prl_acme_${PAN}`,
      });
      clients.push(rejected);
      const answer = await rejected.init();
      expect(answer.type).toBe("connection_error");
      expect(leaks(JSON.stringify(answer))).toBe(false);
    });
  });

  it("property: random inputs carrying test PANs never bring one back in an error", async () => {
    const pan = fc.constantFrom(...TEST_PANS);
    const printed = fc
      .tuple(pan, fc.constantFrom("", " ", "-"))
      .map(([p, sep]) => (sep ? (p.match(/.{1,4}/g) ?? []).join(sep) : p));
    const carrier = fc.oneof(
      printed,
      fc
        .tuple(fc.string({ maxLength: 6 }), printed, fc.string({ maxLength: 6 }))
        .map((parts) => parts.join("")),
      pan.map(Number),
      printed.map((p) => ({ card: p })),
      printed.map((p) => [p]),
    );
    const path = fc.constantFrom(
      ["idempotencyKey"],
      ["amount"],
      ["currency"],
      ["paymentType"],
      ["metadata"],
      ["reference"],
      ["payer", "name"],
      ["payer", "card", "number"],
      ["payer", "card", "cvc"],
      ["payer", "card", "expiryMonth"],
      ["payer", "card", "pin"],
      ["payer", "sepa"],
      ["payee"],
    );
    await fc.assert(
      fc.asyncProperty(path, carrier, async (at, value) => {
        const variables = input(card({ number: Number(PAN) }));
        let target = variables as Record<string, unknown>;
        for (const key of at.slice(0, -1)) {
          target[key] ??= {};
          target = target[key] as Record<string, unknown>;
        }
        target[at.at(-1) as string] = value;
        const { body } = await post(INITIATE, { input: variables });
        for (const message of messagesOf(body)) expect(leaks(message)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
