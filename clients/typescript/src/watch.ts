// watchPayment: the payment's current state, then its live updates, as an async iterator
// that ends after a terminal state. The subscription is acknowledged by AppSync (start_ack)
// before the current state is read, so no update can fall between the two; after a reconnect
// (Amplify resubscribes and AppSync acks again) the current state is read again, so updates
// published while the socket was down are not waited for forever. Updates at or below the
// sequence already yielded are dropped.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { Hub } from "aws-amplify/utils";
import { NotFound, type PayrailError, toPayrailError } from "./errors.js";
import {
  OnPaymentUpdatedDocument,
  type OnPaymentUpdatedSubscription,
  type PaymentFieldsFragment,
  type PaymentStatus,
} from "./generated/graphql.js";

/**
 * States at which a watch ends: a payment's end (DECLINED, FAILED, CANCELED, REFUNDED) and
 * SETTLED, where its flow is done (refunds are later, separate requests: watch again for
 * them). AUTHORIZED is not among them: a MANUAL payment waits there for capturePayment or
 * cancelPayment and goes on (to SETTLED, or CANCELED, also when the sweeper expires the
 * authorization), and a capture leaves it AUTHORIZED until the rail answers, so ending
 * there would end a watch started after the capture at once. To stop at the authorization,
 * break out of the loop when it is yielded.
 */
export const TERMINAL_STATUSES: ReadonlySet<PaymentStatus> = new Set<PaymentStatus>([
  "DECLINED",
  "FAILED",
  "SETTLED",
  "CANCELED",
  "REFUNDED",
]);

/** One state of a payment, as watchPayment yields it. */
export type PaymentProgress = {
  paymentId: string;
  status: PaymentStatus;
  sequence: number;
  reason: string | null;
  correlationId: string;
  occurredAt: string;
};

export type WatchOptions = { signal?: AbortSignal };

type Observer<Data> = {
  next(data: Data): void;
  error(error: PayrailError): void;
  /** Amplify re-established the subscription after a lost connection; updates may have been missed. */
  resumed?(): void;
};

/** Starts a subscription; resolves once AppSync acknowledged it. */
export type Subscribe = <Data, Variables extends object>(
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  observer: Observer<Data>,
) => Promise<{ unsubscribe(): void }>;

export type WatchApi = {
  subscribe: Subscribe;
  current(paymentId: string): Promise<PaymentFieldsFragment | null>;
};

/** Acks already taken by a subscription of this process: one ack for each subscription. */
const claimedAcks = new Set<string>();

const operationName = (document: {
  definitions: readonly { kind: string; name?: { value: string } }[];
}): string | undefined => {
  for (const definition of document.definitions)
    if (definition.kind === "OperationDefinition") return definition.name?.value;
  return undefined;
};

/**
 * Subscribes `observer` to Amplify's `observable` and resolves on the subscription's start_ack,
 * which Amplify announces on the Hub's "api" channel with the subscription's id, query and
 * variables. The query is compared by operation name: Amplify reprints it with its own graphql.
 */
export function subscribeOnce<Data, Variables extends object>(
  observable: { subscribe(observer: object): { unsubscribe(): void } },
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  observer: Observer<Data>,
): Promise<{ unsubscribe(): void }> {
  const operation = new RegExp(`^\\s*subscription\\s+${operationName(document)}\\b`);
  const wanted = JSON.stringify(variables);
  return new Promise((resolve, reject) => {
    let ackId: string | undefined;
    // Amplify resubscribes under the same id after a reconnect, and acks it again.
    const stopListening = Hub.listen("api", ({ payload }) => {
      const data = payload.data as { id?: string; query?: string; variables?: unknown } | undefined;
      if (payload.event !== "Subscription ack" || !data?.id) return;
      if (ackId) {
        if (data.id === ackId) observer.resumed?.();
        return;
      }
      if (claimedAcks.has(data.id)) return;
      if (!operation.test(data.query ?? "") || JSON.stringify(data.variables ?? {}) !== wanted) return;
      ackId = data.id;
      claimedAcks.add(ackId);
      resolve({
        unsubscribe: () => {
          stopListening();
          subscription.unsubscribe();
          if (ackId) claimedAcks.delete(ackId);
        },
      });
    });
    const subscription = observable.subscribe({
      next: (message: { data: Data }) => observer.next(message.data),
      error: (thrown: unknown) => {
        const error = toPayrailError(thrown);
        if (ackId) return observer.error(error);
        stopListening();
        reject(error);
      },
    });
  });
}

const fromPayment = (payment: PaymentFieldsFragment): PaymentProgress => ({
  paymentId: payment.id,
  status: payment.status,
  sequence: payment.sequence,
  reason: payment.reason,
  correlationId: payment.correlationId,
  occurredAt: payment.updatedAt,
});

const fromUpdate = (update: NonNullable<OnPaymentUpdatedSubscription["onPaymentUpdated"]>) => ({
  paymentId: update.paymentId,
  status: update.status,
  sequence: update.sequence,
  reason: update.reason,
  correlationId: update.correlationId,
  occurredAt: update.occurredAt,
});

export async function* watchPayment(
  api: WatchApi,
  paymentId: string,
  { signal }: WatchOptions = {},
): AsyncGenerator<PaymentProgress> {
  signal?.throwIfAborted();
  const pending: PaymentProgress[] = [];
  let failure: PayrailError | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const subscription = await api.subscribe(
    OnPaymentUpdatedDocument,
    { paymentId },
    {
      next: (data) => {
        if (data.onPaymentUpdated) pending.push(fromUpdate(data.onPaymentUpdated));
        notify();
      },
      error: (error) => {
        failure = error;
        notify();
      },
      // Whatever was published while the connection was down is read back as the current state.
      resumed: () => {
        api.current(paymentId).then(
          (current) => {
            if (current) pending.push(fromPayment(current));
            notify();
          },
          (error: unknown) => {
            failure = toPayrailError(error);
            notify();
          },
        );
      },
    },
  );
  signal?.addEventListener("abort", notify);
  try {
    const current = await api.current(paymentId);
    if (!current) throw new NotFound("NotFound", `payment ${paymentId} not found`);
    let last = fromPayment(current);
    yield last;
    while (!TERMINAL_STATUSES.has(last.status)) {
      while (pending.length === 0 && !failure && !signal?.aborted) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      signal?.throwIfAborted();
      if (failure) throw failure;
      const next = pending.shift();
      if (!next || next.sequence <= last.sequence) continue;
      last = next;
      yield last;
    }
  } finally {
    signal?.removeEventListener("abort", notify);
    subscription.unsubscribe();
  }
}
