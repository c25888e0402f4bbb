// initiatePayment: validate (core), seal the card for the tenant's vault, and write in
// ONE transaction the idempotency record (with the response and the payment id), the
// vault entry, the payment row with its PaymentInitiated event (outbox) and the event's
// history entry; publish the event, and only then answer. A retry of a request that failed
// to publish finds the record and publishes what the row still holds pending.
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
import { canonicalJson, idempotent, payloadHash } from "../api/idempotent";
import { paymentView } from "../api/view";
import { SCOPES } from "../persistence/ports/control-plane";
import { flushPending } from "../persistence/ports/outbox";
import type { PaymentRecord } from "../persistence/ports/payments";
import type { SealedCard } from "../persistence/ports/vault";
import type { TenantStores } from "../persistence/stores";
import { requestLogger, traced } from "../platform/observability";

type Prepared = { payment: PaymentRecord; event: EventEnvelope<"PaymentInitiated">; card?: SealedCard };

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
  // The correlation id is a tracing aid, not part of what the client asked for.
  const { correlationId: _notPayload, ...payload } = input;
  const paymentId = `pay_${ulid()}`;

  return idempotent(
    stores.idempotency,
    stores.writeTogether,
    {
      key: input.idempotencyKey,
      payloadHash: payloadHash(payload, ctx.stores.secrets.payloadHashSecret),
      ttlSeconds,
      publishingMs: ctx.inProgressMs,
      now: () => ctx.now().getTime(),
    },
    async () => {
      let prepared: Prepared;
      try {
        prepared = prepare(ctx, stores, request, input, paymentId);
      } catch (error) {
        return { response: asResponse(error), writes: [] };
      }
      const { payment, event, card } = prepared;
      return {
        response: { data: paymentView(payment) },
        resourceId: paymentId,
        writes: [
          ...(card ? [card.write] : []),
          stores.payments.createWrite(payment, [event]),
          stores.history.appendWrite(event),
        ],
        // The outbox keeps the event until the status service, which sees it in Kafka, clears it.
        publish: async () => {
          await traced(ctx.tracer, "kafka.publish", () => ctx.publisher.publish([event]));
          log.info("payment initiated", { paymentId, paymentType: payment.paymentType });
        },
      };
    },
    async (record) => {
      // Within the first request's publishing window its answer stands; after it, what that
      // request left pending (it crashed or failed to publish) goes out before the answer.
      if (!record.resourceId || ctx.now().getTime() < record.publishingUntil) return record.response;
      const earlier = await stores.payments.get(record.resourceId);
      if (earlier && earlier.pendingEvents.length > 0) {
        log.info("resuming an interrupted initiation", {
          paymentId: record.resourceId,
          pending: earlier.pendingEvents.length,
        });
        await traced(ctx.tracer, "kafka.publish", () =>
          flushPending(stores.payments, ctx.publisher, {
            paymentId: record.resourceId as string,
            events: earlier.pendingEvents,
            version: earlier.outboxVersion,
          }),
        );
      }
      return record.response;
    },
  );
}

/** Validates, seals the card and builds the row and its first event (nothing written). Throws PayrailError on bad input. */
function prepare(
  ctx: ApiContext,
  stores: TenantStores,
  request: ApiRequest,
  input: InitiatePaymentInput,
  paymentId: string,
): Prepared {
  const now = ctx.now();
  const valid = validatePaymentInput(input, now);
  const card = input.payer.card;
  const method = valid.payer.method;
  const sealed =
    method?.kind === "card" && card
      ? stores.vault.seal({ ...card, number: normalizeCardNumber(card.number), reduced: method.card })
      : undefined;
  const cardToken = sealed?.reference.cardToken;
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
  return { payment, event, ...(sealed ? { card: sealed } : {}) };
}
