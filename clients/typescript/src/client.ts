// The Payrail client: typed operations (documents generated from ../operations) sent through
// aws-amplify's GraphQL client, which speaks AppSync's HTTP and real-time protocols. Every
// operation goes through `withRetry`; errors arrive as the classes of ./errors.

import { Amplify } from "@aws-amplify/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { generateClient } from "aws-amplify/api";
import {
  ApprovePaymentDocument,
  CancelPaymentDocument,
  CapturePaymentDocument,
  DeclinePaymentDocument,
  InitiatePaymentDocument,
  type InitiatePaymentInput,
  PaymentDocument,
  PaymentEventsDocument,
  type PaymentFieldsFragment,
  PaymentsDocument,
  RefundDocument,
  type RefundFieldsFragment,
  RefundPaymentDocument,
} from "./generated/graphql.js";
import { type RetryOptions, withRetry } from "./retry.js";
import {
  type PaymentProgress,
  type Subscribe,
  subscribeOnce,
  type WatchOptions,
  watchPayment,
} from "./watch.js";

export type Payment = PaymentFieldsFragment;
export type Refund = RefundFieldsFragment;

/** A token, or a function giving the current one (called before every request and connection). */
export type TokenSource = string | (() => string | Promise<string>);

export type PayrailClientOptions = {
  /** The GraphQL endpoint, e.g. https://api.example.com/graphql; real-time uses the same host. */
  endpoint: string;
  /**
   * A partner API token (AWS_LAMBDA auth) or an OIDC ID token (OPENID_CONNECT): AppSync reads
   * either from the Authorization header and tells them apart itself.
   */
  token: TokenSource;
  retry?: RetryOptions;
  /** Makes the idempotency key of a mutation called without one (default: a random UUID). */
  newIdempotencyKey?: () => string;
};

/** initiatePayment's input: the key is optional (made up once, reused by retries), metadata a plain object. */
export type NewPayment = Omit<InitiatePaymentInput, "idempotencyKey" | "metadata"> & {
  idempotencyKey?: string;
  metadata?: Record<string, unknown>;
};

/** The part of Amplify's client used here (its full generic type is too deep to spell out). */
/** A mutation's input whose idempotency key may be left out: the client makes one, reused by its retries. */
export type KeyOptional<Input extends { idempotencyKey: string }> = Omit<Input, "idempotencyKey"> & {
  idempotencyKey?: string;
};

type AmplifyGraphql = {
  graphql(options: { query: unknown; variables?: object; authToken: string }): unknown;
};

type Subscribable = { subscribe(observer: object): { unsubscribe(): void } };

export class PayrailClient {
  readonly #amplify: AmplifyGraphql;
  readonly #options: PayrailClientOptions;

  constructor(options: PayrailClientOptions) {
    this.#options = options;
    // An app without an Amplify API of its own: configure ours, or Amplify warns on every request.
    // (@aws-amplify/core holds the singleton that aws-amplify configures; it shows the config unwarned.)
    if (!Amplify.resourcesConfig?.API)
      Amplify.configure({ API: { GraphQL: { endpoint: options.endpoint, defaultAuthMode: "lambda" } } });
    this.#amplify = generateClient({ endpoint: options.endpoint, authMode: "lambda" }) as AmplifyGraphql;
  }

  // One line per operation: its generated document and the root field it answers with.
  readonly payment = this.#operation(PaymentDocument, "payment");
  readonly payments = this.#operation(PaymentsDocument, "payments");
  readonly paymentEvents = this.#operation(PaymentEventsDocument, "paymentEvents");
  readonly approvePayment = this.#operation(ApprovePaymentDocument, "approvePayment");
  readonly declinePayment = this.#operation(DeclinePaymentDocument, "declinePayment");
  readonly refund = this.#operation(RefundDocument, "refund");
  // The lifecycle mutations: retries reuse one idempotency key, so each takes effect once.
  readonly capturePayment = this.#keyedOperation(CapturePaymentDocument, "capturePayment");
  readonly cancelPayment = this.#keyedOperation(CancelPaymentDocument, "cancelPayment");
  readonly refundPayment = this.#keyedOperation(RefundPaymentDocument, "refundPayment");

  /** Starts a payment; retries reuse one idempotency key, so at most one payment is made. */
  initiatePayment(payment: NewPayment): Promise<Payment> {
    const { metadata, idempotencyKey, ...rest } = payment;
    const input: InitiatePaymentInput = {
      ...rest,
      idempotencyKey: idempotencyKey ?? this.#newKey(),
      ...(metadata === undefined ? {} : { metadata: JSON.stringify(metadata) }),
    };
    return this.#request(InitiatePaymentDocument, { input }).then((data) => data.initiatePayment);
  }

  /**
   * Yields the payment's current state, then each later update in sequence order, and ends
   * after a terminal state. Leaving the loop early (break, return, throw) unsubscribes.
   * Another tenant's or an unknown payment throws NotFound.
   */
  watchPayment(id: string, options: WatchOptions = {}): AsyncGenerator<PaymentProgress> {
    return watchPayment(
      { subscribe: this.#subscribe, current: (paymentId) => this.payment({ id: paymentId }) },
      id,
      options,
    );
  }

  #operation<Result, Variables extends object, Field extends keyof Result>(
    document: TypedDocumentNode<Result, Variables>,
    field: Field,
  ): (variables: Variables) => Promise<Result[Field]> {
    return (variables) => this.#request(document, variables).then((data) => data[field]);
  }

  /** An operation taking `{ input }` whose key, when left out, is made up once before the retries. */
  #keyedOperation<Result, Input extends { idempotencyKey: string }, Field extends keyof Result>(
    document: TypedDocumentNode<Result, { input: Input }>,
    field: Field,
  ): (input: KeyOptional<Input>) => Promise<Result[Field]> {
    const send = this.#operation(document, field);
    return ({ idempotencyKey, ...rest }) =>
      send({ input: { ...rest, idempotencyKey: idempotencyKey ?? this.#newKey() } as Input });
  }

  #newKey(): string {
    return this.#options.newIdempotencyKey?.() ?? crypto.randomUUID();
  }

  async #request<Result, Variables extends object>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    return withRetry(async () => {
      const response = (await this.#amplify.graphql({
        query: document,
        variables,
        authToken: await this.#token(),
      })) as { data: Result };
      return response.data;
    }, this.#options.retry);
  }

  readonly #subscribe: Subscribe = async (document, variables, observer) => {
    const observable = this.#amplify.graphql({
      query: document,
      variables,
      authToken: await this.#token(),
    }) as Subscribable;
    return subscribeOnce(observable, document, variables, observer);
  };

  async #token(): Promise<string> {
    const { token } = this.#options;
    return typeof token === "string" ? token : await token();
  }
}

export function createPayrailClient(options: PayrailClientOptions): PayrailClient {
  return new PayrailClient(options);
}
