// initiatePayment: validate (core), tokenize the card into the tenant's vault, write
// the payment together with its PaymentInitiated event (outbox) under the idempotency
// key, publish the event, and only then answer. A retry after a crash anywhere in
// between resumes the same payment id, finds the row and publishes what is pending.
import { randomUUID } from "node:crypto";
import { ulid } from "ulid";
import { PayrailError, validationError } from "../../core/errors";
import { createEvent, type EventEnvelope, partyData } from "../../core/events";
import type { InitiatePaymentInput } from "../../core/generated/graphql";
import {
  cardFingerprint,
  checkKey,
  containsCardNumber,
  normalizeCardNumber,
  parseMetadata,
  validatePaymentInput,
} from "../../core/payment-methods";
import type { ApiContext, ApiHandler } from "../api/context";
import { type ApiRequest, type ApiResponse, asResponse, requireAccess } from "../api/contract";
import { paymentView } from "../api/view";
import { SCOPES } from "../persistence/control-plane";
import { canonicalJson, idempotent, payloadHash } from "../persistence/idempotency";
import { flushPending } from "../persistence/outbox";
import { CREATED_OUTBOX_VERSION, type PaymentRecord } from "../persistence/payments";
import type { TenantStores } from "../persistence/stores";
import { requestLogger, traced } from "../platform/observability";

type Prepared = { payment: PaymentRecord; event: EventEnvelope<"PaymentInitiated"> };

export function createInitiationHandler(ctx: ApiContext): ApiHandler {
  return async (request) => {
    try {
      requireAccess(request, SCOPES.write);
      const input = request.arguments.input as InitiatePaymentInput | undefined;
      // Without a usable key nothing can be remembered: answer at once.
      if (!input) throw validationError("input", "is required");
      checkKey(input.idempotencyKey, "input.idempotencyKey");
      // The resolver took the correlation id from the input, else the header, else made a UUID;
      // it goes into the event (at most 128 characters), so a bad one must fail here, not at publish.
      const correlationField = input.correlationId != null ? "input.correlationId" : "x-correlation-id";
      if (request.correlationId) checkKey(request.correlationId, correlationField);
      // Both are stored and logged as they are, so neither may carry a card number.
      if (containsCardNumber(input.idempotencyKey)) {
        throw validationError("input.idempotencyKey", "must not contain a card number");
      }
      if (containsCardNumber(request.correlationId ?? "")) {
        throw validationError(correlationField, "must not contain a card number");
      }
      // Before the payload hash, which walks the input recursively: a hostile shape fails here.
      if (input.metadata != null) parseMetadata(input.metadata);
      const tenant = await ctx.stores.tenant(request.tenantId);
      if (!tenant) throw new PayrailError("Unauthorized", "tenant is not provisioned");
      // The resolver passes the client's correlation id or makes one; this is the last resort.
      const correlationId = request.correlationId || input.correlationId || randomUUID();
      return await initiateOnce(ctx, { ...request, correlationId }, input, tenant.idempotencyTtlSeconds);
    } catch (error) {
      return asResponse(error);
    }
  };
}

function initiateOnce(
  ctx: ApiContext,
  request: ApiRequest,
  input: InitiatePaymentInput,
  ttlSeconds: number,
): Promise<ApiResponse> {
  const stores = ctx.stores.forTenant(request.tenantId);
  const log = requestLogger(ctx.logger, { tenantId: request.tenantId, correlationId: request.correlationId });
  const publish = (paymentId: string, events: EventEnvelope[], version: number) =>
    traced(ctx.tracer, "kafka.publish", () =>
      flushPending(stores.payments, ctx.publisher, { paymentId, events, version }),
    );
  // The correlation id is a tracing aid, not part of what the client asked for.
  const { correlationId: _notPayload, ...payload } = input;

  return idempotent(
    stores.idempotency,
    {
      key: input.idempotencyKey,
      payloadHash: payloadHash(payload, ctx.stores.secrets.payloadHashSecret),
      newResourceId: () => `pay_${ulid()}`,
      ttlSeconds,
      inProgressMs: ctx.inProgressMs,
      now: () => ctx.now().getTime(),
    },
    async ({ resourceId: paymentId, resumed }) => {
      // An earlier attempt may have written the row: publish what it left pending, answer with it.
      const earlier = resumed ? await stores.payments.get(paymentId) : undefined;
      if (earlier) {
        log.info("resuming an interrupted initiation", { paymentId, pending: earlier.pendingEvents.length });
        await publish(paymentId, earlier.pendingEvents, earlier.outboxVersion);
        return { data: paymentView(earlier.payment) };
      }
      let prepared: Prepared;
      try {
        prepared = await prepare(ctx, stores, request, input, paymentId);
      } catch (error) {
        return asResponse(error);
      }
      const { payment, event } = prepared;
      await traced(ctx.tracer, "dynamodb.createPayment", async () => {
        // A fresh id per claim, and a take-over reads the row first: the id cannot be taken.
        if (!(await stores.payments.create(payment, [event]))) throw new Error(`${paymentId} already exists`);
      });
      await publish(paymentId, [event], CREATED_OUTBOX_VERSION);
      log.info("payment initiated", { paymentId, paymentType: payment.paymentType });
      return { data: paymentView(payment) };
    },
  );
}

/** Validates, tokenizes the card and builds the row and its first event. Throws PayrailError on bad input. */
async function prepare(
  ctx: ApiContext,
  stores: TenantStores,
  request: ApiRequest,
  input: InitiatePaymentInput,
  paymentId: string,
): Promise<Prepared> {
  const now = ctx.now();
  const valid = validatePaymentInput(input, now);
  const card = input.payer.card;
  const method = valid.payer.method;
  const cardToken =
    method?.kind === "card" && card
      ? (
          await traced(ctx.tracer, "vault.tokenize", () =>
            stores.vault.tokenize({
              ...card,
              number: normalizeCardNumber(card.number),
              reduced: method.card,
            }),
          )
        ).cardToken
      : undefined;
  const payer = partyData(valid.payer, cardToken);
  const payee = valid.payee ? partyData(valid.payee) : undefined;
  const amountMinor = valid.amount.minor.toString();
  const event = createEvent(
    {
      type: "PaymentInitiated",
      origin: {
        tenantId: request.tenantId,
        paymentId,
        paymentType: valid.paymentType,
        correlationId: request.correlationId,
      },
      data: {
        status: "INITIATED",
        amountMinor,
        currency: valid.amount.currency,
        idempotencyKey: valid.idempotencyKey,
        payer,
        ...(payee ? { payee } : {}),
        ...(valid.reference ? { reference: valid.reference } : {}),
        ...(valid.metadata ? { metadata: valid.metadata } : {}),
        ...(valid.captureMethod === "MANUAL" ? { captureMethod: "MANUAL" as const } : {}),
        payerFingerprint: cardFingerprint(
          card ? card.number : canonicalJson(payer.account ?? payer.name),
          ctx.stores.secrets.fingerprintSecret,
        ),
      },
    },
    { now },
  );
  const payment: PaymentRecord = {
    paymentId,
    tenantId: request.tenantId,
    status: "INITIATED",
    paymentType: valid.paymentType,
    amountMinor,
    currency: valid.amount.currency,
    payer,
    ...(payee ? { payee } : {}),
    ...(valid.reference ? { reference: valid.reference } : {}),
    ...(valid.metadata ? { metadata: JSON.stringify(valid.metadata) } : {}),
    idempotencyKey: valid.idempotencyKey,
    correlationId: request.correlationId,
    ...(valid.captureMethod === "MANUAL" ? { captureMethod: "MANUAL" as const } : {}),
    sequence: event.sequence,
    createdAt: event.occurredAt,
    updatedAt: event.occurredAt,
  };
  return { payment, event };
}
