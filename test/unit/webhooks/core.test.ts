// The pure webhook rules of core/webhooks: signature, retry schedule, subscriptions,
// body, URL policy and per-payment ordering.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PayrailError } from "../../../core/errors";
import { createEvent } from "../../../core/events";
import {
  checkedEventTypes,
  checkedWebhookUrl,
  dueInOrder,
  isForbiddenAddress,
  newWebhookSecret,
  nextAttemptAt,
  parseWebhookConfig,
  retryDelayMs,
  signatureHeader,
  subscribesTo,
  webhookBody,
} from "../../../core/webhooks";

const hmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");

describe("signatureHeader", () => {
  it("is t=<seconds> then one v1 per secret over `<t>.<body>`", () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const header = signatureHeader([a, b], 1_700_000_000, '{"x":1}');
    expect(header).toBe(
      `t=1700000000,v1=${hmac(a, '1700000000.{"x":1}')},v1=${hmac(b, '1700000000.{"x":1}')}`,
    );
    expect(signatureHeader([a], 1_700_000_000, '{"x":2}')).not.toContain(hmac(a, '1700000000.{"x":1}'));
  });

  it("secrets are whsec_ + 43 base64url characters, never the same twice", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it("refuses to sign without a secret", () => {
    expect(() => signatureHeader([], 1, "")).toThrow(/at least one/);
  });
});

describe("retry schedule", () => {
  const days3 = { firstDelayMs: 30_000, maxDelayMs: 6 * 3_600_000, giveUpAfterMs: 72 * 3_600_000 };

  it("doubles from the first delay, capped, with half of each step random", () => {
    expect(retryDelayMs(days3, 1, () => 0)).toBe(15_000);
    expect(retryDelayMs(days3, 1, () => 0.999999)).toBe(29_999);
    expect(retryDelayMs(days3, 3, () => 0)).toBe(60_000);
    expect(retryDelayMs(days3, 30, () => 1)).toBe(6 * 3_600_000);
  });

  it("gives up once the next attempt would fall after the horizon", () => {
    let at = 0;
    let attempts = 1;
    for (;;) {
      const next = nextAttemptAt(days3, 0, at, attempts, () => 0.5);
      if (next === undefined) break;
      at = next;
      attempts++;
    }
    expect(at).toBeLessThanOrEqual(days3.giveUpAfterMs);
    expect(at + retryDelayMs(days3, attempts, () => 0.5)).toBeGreaterThan(days3.giveUpAfterMs);
    // 30 s doubling to a 6 h cap (4.5 h with this jitter) covers 3 days in 25 attempts.
    expect(attempts).toBe(25);
  });
});

describe("config/webhooks.yaml", () => {
  it("reads seconds into milliseconds and refuses typos", () => {
    const config = parseWebhookConfig(
      {
        timeoutMs: 10_000,
        perEndpointConcurrency: 4,
        retry: { firstDelaySeconds: 30, maxDelaySeconds: 21_600, giveUpAfterSeconds: 259_200 },
        localRetry: { firstDelaySeconds: 1, maxDelaySeconds: 30, giveUpAfterSeconds: 600 },
      },
      "webhooks.yaml",
    );
    expect(config.retry).toEqual({
      firstDelayMs: 30_000,
      maxDelayMs: 21_600_000,
      giveUpAfterMs: 259_200_000,
    });
    expect(() => parseWebhookConfig({ timeoutMs: 10_000, timeOutMs: 1 }, "webhooks.yaml")).toThrow(
      /timeOutMs/,
    );
    expect(() =>
      parseWebhookConfig({ ...config, timeoutMs: 60_000, retry: {}, localRetry: {} }, "webhooks.yaml"),
    ).toThrow(/timeoutMs/);
  });
});

describe("event types", () => {
  it("matches exact types or *", () => {
    expect(subscribesTo(["PaymentSettled"], "PaymentSettled")).toBe(true);
    expect(subscribesTo(["PaymentSettled"], "PaymentFailed")).toBe(false);
    expect(subscribesTo(["*"], "PaymentFailed")).toBe(true);
  });

  it("refuses an unknown type, naming the entry", () => {
    expect(checkedEventTypes("input.eventTypes", ["PaymentSettled", "PaymentSettled"])).toEqual([
      "PaymentSettled",
    ]);
    expect(() => checkedEventTypes("input.eventTypes", ["PaymentSettled", "Settled"])).toThrow(
      expect.objectContaining({ errorType: "ValidationError", errorInfo: { field: "input.eventTypes[1]" } }),
    );
    expect(() => checkedEventTypes("input.eventTypes", [])).toThrow(PayrailError);
  });
});

describe("webhookBody", () => {
  it("is the envelope without vault token, account or fingerprint", () => {
    const event = createEvent({
      type: "PaymentInitiated",
      origin: { tenantId: "acme", paymentId: "pay_1", paymentType: "SEPA_CREDIT", correlationId: "c-1" },
      data: {
        status: "INITIATED",
        amountMinor: "1250",
        currency: "EUR",
        idempotencyKey: "k-1",
        payerFingerprint: "f".repeat(64),
        payer: {
          name: "Ann",
          cardToken: "tok_secret",
          cardLast4: "4242",
          cardBrand: "visa",
          cardExpiry: "12/30",
        },
        payee: {
          name: "Bob",
          maskedAccount: "DE89 **** **** 3000",
          account: { iban: "DE89370400440532013000" },
        },
      },
    });
    const body = webhookBody(event);
    expect(body).not.toMatch(/tok_secret|f{64}|DE89370400440532013000/);
    expect(JSON.parse(body)).toMatchObject({
      eventId: event.eventId,
      type: "PaymentInitiated",
      sequence: 1,
      tenantId: "acme",
      correlationId: "c-1",
      data: { payer: { cardLast4: "4242" }, payee: { maskedAccount: "DE89 **** **** 3000" } },
    });
  });
});

describe("URL policy", () => {
  const aws = { allowLoopback: false };
  const local = { allowLoopback: true };
  const refused = (url: string, policy = aws) => {
    try {
      checkedWebhookUrl("input.url", url, policy);
      return undefined;
    } catch (error) {
      return (error as PayrailError).errorType;
    }
  };

  it("takes https everywhere and http to loopback only locally", () => {
    expect(refused("https://hooks.example.com/payrail")).toBeUndefined();
    expect(refused("http://127.0.0.1:8080/hook", local)).toBeUndefined();
    expect(refused("http://localhost:8080/hook", local)).toBeUndefined();
    expect(refused("http://127.0.0.1:8080/hook")).toBe("ValidationError");
    expect(refused("https://localhost/hook")).toBe("ValidationError");
    expect(refused("http://hooks.example.com/", local)).toBe("ValidationError");
    expect(refused("ftp://hooks.example.com/")).toBe("ValidationError");
    expect(refused("https://user:pw@hooks.example.com/")).toBe("ValidationError");
    expect(refused("not a url")).toBe("ValidationError");
  });

  it("refuses metadata, link-local and private addresses, also spelled otherwise", () => {
    for (const url of [
      "https://169.254.169.254/latest/meta-data/",
      "http://169.254.169.254/latest/meta-data/",
      "https://10.0.0.7/",
      "https://172.16.3.4/",
      "https://192.168.1.1/",
      "https://100.64.0.1/",
      "https://[::ffff:169.254.169.254]/",
      "https://[fd00:ec2::254]/",
      "https://[fe80::1]/",
    ]) {
      expect(refused(url), url).toBe("ValidationError");
      expect(refused(url, local), url).toBe("ValidationError");
    }
  });

  it("refuses loopback in any spelling on AWS", () => {
    expect(refused("https://0x7f000001/")).toBe("ValidationError");
    expect(refused("https://[::1]/")).toBe("ValidationError");
    expect(refused("https://0x7f000001/", local)).toBeUndefined();
  });

  it("classifies resolved addresses", () => {
    expect(isForbiddenAddress("93.184.216.34", aws)).toBe(false);
    expect(isForbiddenAddress("2606:2800:220:1::", aws)).toBe(false);
    expect(isForbiddenAddress("127.0.0.1", aws)).toBe(true);
    expect(isForbiddenAddress("127.0.0.1", local)).toBe(false);
    expect(isForbiddenAddress("::ffff:10.1.2.3", local)).toBe(true);
    expect(isForbiddenAddress("not-an-ip", local)).toBe(true);
  });
});

describe("dueInOrder", () => {
  const d = (endpointId: string, paymentId: string, sequence: number, nextAttemptAtMs = 0) => ({
    deliveryId: `${endpointId}-${paymentId}-${sequence}`,
    endpointId,
    paymentId,
    sequence,
    createdAtMs: 1000,
    nextAttemptAtMs,
  });
  const all = () => new Set([1, 2, 3, 4]);

  it("offers only the lowest pending sequence per endpoint and payment", () => {
    const due = dueInOrder([d("e1", "p1", 3), d("e1", "p1", 2), d("e2", "p1", 3), d("e1", "p2", 1)], {
      seen: all,
      nowMs: 2000,
      holdMs: 60_000,
    });
    expect(due.map((x) => x.deliveryId).sort()).toEqual(["e1-p1-2", "e1-p2-1", "e2-p1-3"]);
  });

  it("holds a head whose earlier events have not arrived, until the hold ends", () => {
    const pending = [d("e1", "p1", 3)];
    const seen = () => new Set([1, 3]);
    expect(dueInOrder(pending, { seen, nowMs: 2000, holdMs: 60_000 })).toEqual([]);
    expect(dueInOrder(pending, { seen, nowMs: 61_000, holdMs: 60_000 })).toHaveLength(1);
  });

  it("waits for a head's next attempt time, and the head blocks its lane meanwhile", () => {
    const pending = [d("e1", "p1", 1, 5000), d("e1", "p1", 2, 0)];
    expect(dueInOrder(pending, { seen: all, nowMs: 2000, holdMs: 60_000 })).toEqual([]);
    expect(dueInOrder(pending, { seen: all, nowMs: 5000, holdMs: 60_000 })).toHaveLength(1);
  });
});
