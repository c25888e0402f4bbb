// An ApiContext over a throwaway local stack, with an in-memory publisher that records
// what it published and can be told to fail.

import { afterAll, beforeAll, beforeEach } from "vitest";
import type { ApiContext } from "../../../consumers/api/context";
import type { ApiRequest } from "../../../consumers/api/contract";
import type { RefundStore } from "../../../consumers/persistence/ports/refunds";
import { storeFactory } from "../../../consumers/persistence/stores";
import { kafkaClient } from "../../../consumers/platform/kafka-client";
import { createLogger, createTracer } from "../../../consumers/platform/observability";
import { deriveSecrets } from "../../../consumers/platform/secrets";
import { loadPipeline } from "../../../core/config";
import type { EventEnvelope } from "../../../core/events";
import {
  type Personality,
  type Processor,
  type ProcessorRegistry,
  type RefundOutcome,
  reportedWait,
  sandboxProcessors,
} from "../../../core/processors";
import { ensurePipelineTopics } from "../../../local/esm/topics";
import { startBroker } from "../../../local/kafka/broker";
import { silentLogger } from "../../../local/kafka/logger";
import { type LocalStack, startLocalStack, TEST_ENV } from "../persistence/local-stack";

export type RecordingPublisher = {
  published: EventEnvelope[];
  /** The next `n` publish calls reject (the broker is unreachable). */
  failNext(n: number): void;
  publish(events: readonly EventEnvelope[]): Promise<void>;
};

export function recordingPublisher(): RecordingPublisher {
  let failures = 0;
  const published: EventEnvelope[] = [];
  return {
    published,
    failNext(n) {
      failures = n;
    },
    async publish(events) {
      if (failures > 0) {
        failures--;
        throw new Error("broker unreachable");
      }
      published.push(...events);
    },
  };
}

export function apiTestContext(
  stack: LocalStack,
  publisher: RecordingPublisher,
  over: Partial<ApiContext> = {},
) {
  return {
    stores: storeFactory(stack.documents, TEST_ENV, deriveSecrets("test-secret")),
    publisher,
    logger: createLogger("api-test"),
    tracer: createTracer("api-test"),
    now: () => new Date(),
    inProgressMs: 30_000,
    ...over,
  } satisfies ApiContext;
}

export const ADMIN_SCOPES = ["payments:read", "payments:write", "payments:review"];

export function apiRequest(
  tenantId: string,
  field: string,
  args: Record<string, unknown>,
  over: Partial<ApiRequest> = {},
): ApiRequest {
  return {
    field,
    tenantId,
    scopes: ADMIN_SCOPES,
    principal: "tk_test",
    arguments: args,
    correlationId: "corr-test-1",
    ...over,
  };
}

export const CARD_NUMBER = "4242424242424242";

export const cardInput = (idempotencyKey: string, amount = "12.50") => ({
  idempotencyKey,
  amount,
  currency: "EUR",
  paymentType: "CARD",
  payer: {
    name: "Ada Lovelace",
    country: "GB",
    card: { number: CARD_NUMBER, expiryMonth: 12, expiryYear: 2030, cvc: "123" },
  },
  reference: "order 17",
});

export const sepaInput = (idempotencyKey: string) => ({
  idempotencyKey,
  amount: "100.00",
  currency: "EUR",
  paymentType: "SEPA_CREDIT",
  payer: { name: "Ada", sepa: { iban: "DE89370400440532013000" } },
  payee: { name: "Bob", sepa: { iban: "FR1420041010050500013M02606" } },
  metadata: JSON.stringify({ invoice: "A-1" }),
});

/**
 * Registers the file's hooks: one stack with tenants acme and globex for the file, a
 * fresh recording publisher and context before each test. Read the fields inside tests.
 */
export function apiStackPerFile() {
  const state = {} as { stack: LocalStack; publisher: RecordingPublisher; ctx: ApiContext };
  beforeAll(async () => {
    state.stack = await startLocalStack();
    await Promise.all([state.stack.provision("acme"), state.stack.provision("globex", "us")]);
  });
  afterAll(() => state.stack.stop());
  beforeEach(() => {
    state.publisher = recordingPublisher();
    state.ctx = apiTestContext(state.stack, state.publisher);
  });
  return state;
}

/**
 * A local stack plus a real broker with the pipeline's topics, and the environment the
 * deployed `handler` exports read (as the AppSync emulator and Lambda load them).
 */
export async function startWiredStack() {
  const [stack, broker] = await Promise.all([
    startLocalStack(),
    startBroker({ port: 0, memory: true, logger: silentLogger }),
  ]);
  const bootstrap = `127.0.0.1:${broker.port}`;
  const kafka = kafkaClient({ brokers: [bootstrap], clientId: "api-test" });
  const [acme, globex] = await Promise.all([
    stack.provision("acme"),
    stack.provision("globex", "us"),
    ensurePipelineTopics(kafka, await loadPipeline("config")),
  ]);
  Object.assign(process.env, {
    PAYRAIL_ENV: TEST_ENV,
    PAYRAIL_SECRET: "wired-test-secret",
    KAFKA_BROKERS: bootstrap,
    PAYRAIL_CONFIG_DIR: "config",
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoEndpoint,
  });
  return {
    stack,
    kafka,
    tokens: { acme: acme.apiToken ?? "", globex: globex.apiToken ?? "" },
    async stop() {
      await broker.stop();
      await stack.stop();
    },
  };
}

/** A refund call as a sandbox processor answered it. */
export type RefundCall = { paymentId: string; processor: string; outcome: RefundOutcome };

/** The sandbox processors, each refund call's answer pushed to `calls`. */
export function recordingRefunds(
  personalities: ReadonlyMap<string, Personality>,
  calls: RefundCall[],
): ProcessorRegistry {
  return new Map(
    [...sandboxProcessors(personalities, reportedWait)].map(([name, processor]) => [
      name,
      {
        ...processor,
        async refund(request, options) {
          const outcome = await processor.refund(request, options);
          calls.push({ paymentId: request.paymentId, processor: name, outcome });
          return outcome;
        },
      } satisfies Processor,
    ]),
  );
}

/** The ids of the payments the refund sweeper reads: those listed with a refund waiting, every page. */
export async function listedWaiting(refunds: Pick<RefundStore, "listWaiting">): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await refunds.listWaiting(100, cursor);
    ids.push(...page.items.map((payment) => payment.paymentId));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}
