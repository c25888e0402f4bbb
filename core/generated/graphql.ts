export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  AWSDate: { input: string; output: string; }
  AWSDateTime: { input: string; output: string; }
  AWSEmail: { input: string; output: string; }
  AWSIPAddress: { input: string; output: string; }
  AWSJSON: { input: unknown; output: string; }
  AWSPhone: { input: string; output: string; }
  AWSTime: { input: string; output: string; }
  AWSTimestamp: { input: number; output: number; }
  AWSURL: { input: string; output: string; }
};

export type AchAccountInput = {
  accountNumber: Scalars['String']['input'];
  accountType?: InputMaybe<AchAccountType>;
  routingNumber: Scalars['String']['input'];
};

export type AchAccountType =
  | 'CHECKING'
  | 'SAVINGS';

export type CancelPaymentInput = {
  idempotencyKey: Scalars['String']['input'];
  paymentId: Scalars['ID']['input'];
  /** Why, up to 140 chars (shown as the payment's reason). */
  reason: Scalars['String']['input'];
};

export type CaptureMethod =
  | 'AUTOMATIC'
  | 'MANUAL';

export type CapturePaymentInput = {
  /** Decimal string; default the whole authorized amount. Less is a partial capture. */
  amount?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
  paymentId: Scalars['ID']['input'];
};

/** Write-only: the number and cvc are tokenized at once and never stored, logged or returned. */
export type CardInput = {
  cvc: Scalars['String']['input'];
  expiryMonth: Scalars['Int']['input'];
  expiryYear: Scalars['Int']['input'];
  number: Scalars['String']['input'];
};

export type CreateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** Event types to receive (e.g. PaymentSettled), or ["*"] for all. */
  eventTypes: Array<Scalars['String']['input']>;
  url: Scalars['String']['input'];
};

export type DeclineClass =
  | 'HARD'
  | 'SOFT';

export type FasterPaymentsAccountInput = {
  accountNumber: Scalars['String']['input'];
  sortCode: Scalars['String']['input'];
};

export type InitiatePaymentInput = {
  /** Decimal string in major units, e.g. "12.50". */
  amount: Scalars['String']['input'];
  /** AUTOMATIC (default): charged at once. MANUAL (CARD only): authorized, then capturePayment. */
  captureMethod?: InputMaybe<CaptureMethod>;
  /** Trace id carried to every event, log line and subscription message; made up if absent. */
  correlationId?: InputMaybe<Scalars['String']['input']>;
  /** ISO 4217 code, e.g. EUR. */
  currency: Scalars['String']['input'];
  /** Client-chosen key, unique per intended payment (1-128 chars of [A-Za-z0-9_-:.]). */
  idempotencyKey: Scalars['String']['input'];
  /** Free JSON object kept with the payment, up to 4 KiB. */
  metadata?: InputMaybe<Scalars['AWSJSON']['input']>;
  /** Who is paid. Required for account-to-account types; for CARD the tenant is the merchant. */
  payee?: InputMaybe<PartyInput>;
  /** Who pays. Must carry the method matching paymentType (card for CARD, sepa for SEPA_CREDIT, ...). */
  payer: PartyInput;
  paymentType: PaymentType;
  /** Shown on statements, up to 140 chars. */
  reference?: InputMaybe<Scalars['String']['input']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Approves a payment IN_REVIEW (tenant-admin scope). It then continues to execution. */
  approvePayment: Payment;
  /**
   * Cancels a payment before execution (INITIATED, RISK_APPROVED, IN_REVIEW) or an
   * AUTHORIZED one (the hold is released); CANCELED is terminal. InvalidState otherwise.
   * Idempotent by `idempotencyKey`.
   */
  cancelPayment: Payment;
  /**
   * Captures an AUTHORIZED payment, in full (no amount) or in part (the rest of the hold is
   * released). Idempotent by `idempotencyKey` like initiatePayment. InvalidState unless
   * AUTHORIZED, with reason authorization_expired once the authorization expired.
   */
  capturePayment: Payment;
  /**
   * Registers an endpoint. The answer carries its signing `secret` (whsec_…) — the only time
   * it is shown. URL: https:// to a public host (no private, link-local or metadata addresses;
   * redirects are not followed); on the local stack also http://127.0.0.1 or localhost.
   */
  createWebhookEndpoint: WebhookEndpoint;
  /** Declines a payment IN_REVIEW (tenant-admin scope). */
  declinePayment: Payment;
  /** Deletes an endpoint; its pending deliveries are dropped. Answers the endpoint as it was. */
  deleteWebhookEndpoint: WebhookEndpoint;
  /**
   * Starts a payment. Idempotent by `idempotencyKey`: the same key with the same input
   * returns the first response again (even an error); with a different input it fails
   * with IdempotencyConflict.
   */
  initiatePayment: Payment;
  /** Internal: Payrail's status service reports a state change; fans out to onPaymentUpdated. */
  publishPaymentUpdate?: Maybe<PaymentUpdate>;
  /** Queues a delivery again, whatever its status; the attempt number keeps counting. InvalidState while an attempt is in flight. */
  redeliverWebhook: WebhookDelivery;
  /**
   * Refunds a SETTLED payment, in full (no amount: what is still refundable) or in part;
   * partial refunds may follow one another until their sum reaches the captured amount.
   * A fully refunded payment becomes REFUNDED; a partly refunded one stays SETTLED with
   * refundedAmount > 0. Idempotent by `idempotencyKey`.
   */
  refundPayment: Refund;
  /**
   * Issues a new signing secret, shown once in the answer. The current secret keeps signing
   * beside it for `expiresCurrentInHours` (0-168; 0 ends it now), so receivers can switch over.
   */
  rotateWebhookSecret: WebhookEndpoint;
  /** Changes an endpoint's URL, event types, description or whether it gets deliveries. */
  updateWebhookEndpoint: WebhookEndpoint;
};


export type MutationApprovePaymentArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationCancelPaymentArgs = {
  input: CancelPaymentInput;
};


export type MutationCapturePaymentArgs = {
  input: CapturePaymentInput;
};


export type MutationCreateWebhookEndpointArgs = {
  input: CreateWebhookEndpointInput;
};


export type MutationDeclinePaymentArgs = {
  id: Scalars['ID']['input'];
  reason: Scalars['String']['input'];
};


export type MutationDeleteWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
};


export type MutationInitiatePaymentArgs = {
  input: InitiatePaymentInput;
};


export type MutationPublishPaymentUpdateArgs = {
  input: PaymentUpdateInput;
};


export type MutationRedeliverWebhookArgs = {
  deliveryId: Scalars['ID']['input'];
};


export type MutationRefundPaymentArgs = {
  input: RefundPaymentInput;
};


export type MutationRotateWebhookSecretArgs = {
  expiresCurrentInHours: Scalars['Int']['input'];
  id: Scalars['ID']['input'];
};


export type MutationUpdateWebhookEndpointArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWebhookEndpointInput;
};

/** A party as Payrail returns it: identifiers masked, card reduced to brand and last four. */
export type Party = {
  __typename?: 'Party';
  cardBrand?: Maybe<Scalars['String']['output']>;
  cardExpiry?: Maybe<Scalars['String']['output']>;
  cardLast4?: Maybe<Scalars['String']['output']>;
  country?: Maybe<Scalars['String']['output']>;
  /** e.g. DE89 **** **** 3000, **** 4242, ****6789 */
  maskedAccount?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
};

/** A party to a payment: exactly one method field, the one matching the payment type. */
export type PartyInput = {
  ach?: InputMaybe<AchAccountInput>;
  card?: InputMaybe<CardInput>;
  /** ISO 3166-1 alpha-2. */
  country?: InputMaybe<Scalars['String']['input']>;
  fasterPayments?: InputMaybe<FasterPaymentsAccountInput>;
  name: Scalars['String']['input'];
  pix?: InputMaybe<PixKeyInput>;
  sepa?: InputMaybe<SepaAccountInput>;
  upi?: InputMaybe<UpiAddressInput>;
};

export type Payment = {
  __typename?: 'Payment';
  amount: Scalars['String']['output'];
  /** What refundPayment may still refund: captured less succeeded and pending refunds. */
  amountRefundable: Scalars['String']['output'];
  /** Every processor attempt, in order: a soft decline or lost answer is followed by the next processor. */
  attempts: Array<PaymentAttempt>;
  /** MANUAL capture: when an AUTHORIZED payment can no longer be captured. */
  authorizationExpiresAt?: Maybe<Scalars['AWSDateTime']['output']>;
  captureMethod: CaptureMethod;
  /** What was charged: the amount (AUTOMATIC), the captured part (MANUAL); "0.00" before. */
  capturedAmount: Scalars['String']['output'];
  correlationId: Scalars['String']['output'];
  createdAt: Scalars['AWSDateTime']['output'];
  currency: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  idempotencyKey: Scalars['String']['output'];
  metadata?: Maybe<Scalars['AWSJSON']['output']>;
  payee?: Maybe<Party>;
  payer: Party;
  paymentType: PaymentType;
  /** The processor that won the payment (approved its charge or hold); null until one did. */
  processor?: Maybe<Scalars['String']['output']>;
  /** Why the payment was declined, failed or sent to review (e.g. card_declined, limit_exceeded). */
  reason?: Maybe<Scalars['String']['output']>;
  reference?: Maybe<Scalars['String']['output']>;
  /** Sum of the succeeded refunds. A partly refunded payment stays SETTLED with this > 0. */
  refundedAmount: Scalars['String']['output'];
  /** Every refund of this payment, oldest first. */
  refunds: Array<Refund>;
  risk?: Maybe<RiskAssessment>;
  /** Per-payment event sequence number of the latest state. */
  sequence: Scalars['Int']['output'];
  status: PaymentStatus;
  updatedAt: Scalars['AWSDateTime']['output'];
};

/** One call of a payment to one processor; its id is the processor's idempotency key. */
export type PaymentAttempt = {
  __typename?: 'PaymentAttempt';
  /** 1 for the first processor tried. */
  attempt: Scalars['Int']['output'];
  /** HARD: never retried elsewhere; SOFT: eligible for failover. Null when approved or unknown. */
  declineClass?: Maybe<DeclineClass>;
  /** Payrail's normalized code of a decline or lost answer (e.g. do_not_honor, timeout). */
  declineCode?: Maybe<Scalars['String']['output']>;
  /** The processor's fee for this payment, e.g. "0.44" (charged when approved). */
  fee: Scalars['String']['output'];
  /** How long the processor took to answer; null while STARTED. */
  latencyMs?: Maybe<Scalars['Int']['output']>;
  processor: Scalars['String']['output'];
  /** The routing rule that planned it (as routingPreview names it). */
  ruleId: Scalars['String']['output'];
  startedAt: Scalars['AWSDateTime']['output'];
  status: PaymentAttemptStatus;
};

export type PaymentAttemptStatus =
  | 'APPROVED'
  | 'DECLINED'
  /** Marked before the call, no answer recorded yet. */
  | 'STARTED'
  /** The answer was lost (timeout, reset): resolved by asking the processor before anything else is tried. */
  | 'UNKNOWN';

export type PaymentConnection = {
  __typename?: 'PaymentConnection';
  items: Array<Payment>;
  /** Pass back to get the next page; null on the last page. */
  nextToken?: Maybe<Scalars['String']['output']>;
};

export type PaymentEvent = {
  __typename?: 'PaymentEvent';
  causationId?: Maybe<Scalars['String']['output']>;
  correlationId: Scalars['String']['output'];
  data?: Maybe<Scalars['AWSJSON']['output']>;
  eventId: Scalars['ID']['output'];
  occurredAt: Scalars['AWSDateTime']['output'];
  schemaVersion: Scalars['Int']['output'];
  sequence: Scalars['Int']['output'];
  status: PaymentStatus;
  type: Scalars['String']['output'];
};

export type PaymentFilter = {
  createdAfter?: InputMaybe<Scalars['AWSDateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['AWSDateTime']['input']>;
  paymentType?: InputMaybe<PaymentType>;
  status?: InputMaybe<PaymentStatus>;
};

export type PaymentStatus =
  /** MANUAL capture: the funds are held by the rail until capturePayment or cancelPayment. */
  | 'AUTHORIZED'
  /** Terminal: canceled before execution, or an authorization released or expired. */
  | 'CANCELED'
  | 'DECLINED'
  | 'EXECUTED'
  | 'FAILED'
  | 'INITIATED'
  | 'IN_REVIEW'
  /** Terminal: refunded in full. A partly refunded payment stays SETTLED. */
  | 'REFUNDED'
  | 'RISK_APPROVED'
  | 'SETTLED';

export type PaymentType =
  | 'ACH'
  | 'CARD'
  | 'FASTER_PAYMENTS'
  | 'PIX'
  | 'SEPA_CREDIT'
  | 'UPI';

export type PaymentUpdate = {
  __typename?: 'PaymentUpdate';
  amount: Scalars['String']['output'];
  /** The captured amount (capture updates). */
  amountCaptured?: Maybe<Scalars['String']['output']>;
  /** The refund's amount (refund updates), so an app can show "refund of 5.00 succeeded". */
  amountRefunded?: Maybe<Scalars['String']['output']>;
  correlationId: Scalars['String']['output'];
  currency: Scalars['String']['output'];
  eventType: Scalars['String']['output'];
  occurredAt: Scalars['AWSDateTime']['output'];
  paymentId: Scalars['ID']['output'];
  paymentType: PaymentType;
  previousStatus?: Maybe<PaymentStatus>;
  reason?: Maybe<Scalars['String']['output']>;
  refundId?: Maybe<Scalars['ID']['output']>;
  refundStatus?: Maybe<RefundStatus>;
  sequence: Scalars['Int']['output'];
  status: PaymentStatus;
  tenantId: Scalars['ID']['output'];
};

export type PaymentUpdateInput = {
  amount: Scalars['String']['input'];
  amountCaptured?: InputMaybe<Scalars['String']['input']>;
  amountRefunded?: InputMaybe<Scalars['String']['input']>;
  correlationId: Scalars['String']['input'];
  currency: Scalars['String']['input'];
  eventType: Scalars['String']['input'];
  occurredAt: Scalars['AWSDateTime']['input'];
  paymentId: Scalars['ID']['input'];
  paymentType: PaymentType;
  previousStatus?: InputMaybe<PaymentStatus>;
  reason?: InputMaybe<Scalars['String']['input']>;
  refundId?: InputMaybe<Scalars['ID']['input']>;
  refundStatus?: InputMaybe<RefundStatus>;
  sequence: Scalars['Int']['input'];
  status: PaymentStatus;
  tenantId: Scalars['ID']['input'];
};

export type PixKeyInput = {
  /** CPF, CNPJ, e-mail, +55 phone or random (EVP) key. */
  key: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** One payment of the caller's tenant, or null. */
  payment?: Maybe<Payment>;
  /** The immutable history of one payment, in sequence order. Empty for an unknown payment. */
  paymentEvents: Array<PaymentEvent>;
  /** The caller's payments, newest first, filtered and paginated by an opaque cursor. */
  payments: PaymentConnection;
  /** One refund of the caller's tenant, or null (also for another tenant's refund). */
  refund?: Maybe<Refund>;
  /** Routing (see the Routing block below): which processors a payment like this would be tried on, and why. */
  routingPreview: RoutingPreview;
  /** An endpoint's deliveries, newest first, each with every attempt; paginated by an opaque cursor. */
  webhookDeliveries: WebhookDeliveryConnection;
  /** The caller's webhook endpoints, oldest first. `secret` is always null here. */
  webhookEndpoints: Array<WebhookEndpoint>;
};


export type QueryPaymentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPaymentEventsArgs = {
  paymentId: Scalars['ID']['input'];
};


export type QueryPaymentsArgs = {
  filter?: InputMaybe<PaymentFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  nextToken?: InputMaybe<Scalars['String']['input']>;
};


export type QueryRefundArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRoutingPreviewArgs = {
  input: RoutingPreviewInput;
};


export type QueryWebhookDeliveriesArgs = {
  endpointId: Scalars['ID']['input'];
  filter?: InputMaybe<WebhookDeliveryFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  nextToken?: InputMaybe<Scalars['String']['input']>;
};

export type Refund = {
  __typename?: 'Refund';
  amount: Scalars['String']['output'];
  createdAt: Scalars['AWSDateTime']['output'];
  currency: Scalars['String']['output'];
  /** Why the rail refused the refund (e.g. refund_failed). */
  failureReason?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  paymentId: Scalars['ID']['output'];
  reason: RefundReason;
  status: RefundStatus;
  updatedAt: Scalars['AWSDateTime']['output'];
};

export type RefundPaymentInput = {
  /** Decimal string; default what is still refundable. */
  amount?: InputMaybe<Scalars['String']['input']>;
  idempotencyKey: Scalars['String']['input'];
  paymentId: Scalars['ID']['input'];
  reason: RefundReason;
};

export type RefundReason =
  | 'DUPLICATE'
  | 'FRAUDULENT'
  | 'OTHER'
  | 'REQUESTED_BY_CUSTOMER';

export type RefundStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

export type RiskAssessment = {
  __typename?: 'RiskAssessment';
  decision: RiskDecision;
  reasons: Array<Scalars['String']['output']>;
  score: Scalars['Int']['output'];
};

export type RiskDecision =
  | 'APPROVE'
  | 'DECLINE'
  | 'REVIEW';

export type RoutedProcessor = {
  __typename?: 'RoutedProcessor';
  /** The processor's fee for this amount in the payment's currency, e.g. "0.44". */
  fee: Scalars['String']['output'];
  processor: Scalars['String']['output'];
  /** The split weight when a volume split decided, else null. */
  weight?: Maybe<Scalars['Int']['output']>;
};

export type RoutingPreview = {
  __typename?: 'RoutingPreview';
  /** Failover budget: attempts and total time for one payment. */
  maxAttempts: Scalars['Int']['output'];
  maxTotalMs: Scalars['Int']['output'];
  /** Eligible processors in the order they would be tried (a split: by descending weight). */
  processors: Array<RoutedProcessor>;
  /** The rule that decided: tenant:<id>/<rule> or region:<id>/<rule>, /default when none matched, none when nothing routes. */
  ruleId: Scalars['String']['output'];
  /** Processors the rule names that cannot take this payment, and why. */
  skipped: Array<SkippedProcessor>;
};

/** A payment as routing sees it: the card's brand and BIN country stand in for its number. */
export type RoutingPreviewInput = {
  /** Decimal string in major units, e.g. "12.50". */
  amount: Scalars['String']['input'];
  /** The card's BIN (its first 6 to 8 digits, never the whole number): looked up in the BIN table for binCountry (unknown: none) and, when cardBrand is not given, the brand. Not with binCountry. */
  bin?: InputMaybe<Scalars['String']['input']>;
  /** ISO 3166-1 alpha-2 country of the card's issuer (its BIN). */
  binCountry?: InputMaybe<Scalars['String']['input']>;
  /** visa, mastercard, amex, discover, diners, jcb, unionpay or maestro. */
  cardBrand?: InputMaybe<Scalars['String']['input']>;
  /** ISO 4217 code, e.g. EUR. */
  currency: Scalars['String']['input'];
  /** The payment's metadata, for rules that match on its keys. */
  metadata?: InputMaybe<Scalars['AWSJSON']['input']>;
  /** ISO 3166-1 alpha-2. */
  payerCountry?: InputMaybe<Scalars['String']['input']>;
  paymentType: PaymentType;
};

export type SepaAccountInput = {
  bic?: InputMaybe<Scalars['String']['input']>;
  iban: Scalars['String']['input'];
};

export type SkippedProcessor = {
  __typename?: 'SkippedProcessor';
  processor: Scalars['String']['output'];
  reason: Scalars['String']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Live state changes of the caller's payments, optionally narrowed to one payment and/or status. */
  onPaymentUpdated?: Maybe<PaymentUpdate>;
};


export type SubscriptionOnPaymentUpdatedArgs = {
  paymentId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<PaymentStatus>;
};

export type UpdateWebhookEndpointInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** false stops new deliveries; true also clears a FAILING status. */
  enabled?: InputMaybe<Scalars['Boolean']['input']>;
  eventTypes?: InputMaybe<Array<Scalars['String']['input']>>;
  url?: InputMaybe<Scalars['String']['input']>;
};

export type UpiAddressInput = {
  /** Virtual payment address, e.g. name@bank. */
  vpa: Scalars['String']['input'];
};

export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  attempts: Array<WebhookDeliveryAttempt>;
  createdAt: Scalars['AWSDateTime']['output'];
  endpointId: Scalars['ID']['output'];
  /** The Payrail-Event-Id header: the same on every attempt, for the receiver's dedupe. */
  eventId: Scalars['ID']['output'];
  eventType: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** When the next attempt is due; null unless PENDING. */
  nextAttemptAt?: Maybe<Scalars['AWSDateTime']['output']>;
  paymentId: Scalars['ID']['output'];
  sequence: Scalars['Int']['output'];
  status: WebhookDeliveryStatus;
};

export type WebhookDeliveryAttempt = {
  __typename?: 'WebhookDeliveryAttempt';
  at: Scalars['AWSDateTime']['output'];
  /** The Payrail-Delivery-Attempt header of this POST (1 for the first). */
  attempt: Scalars['Int']['output'];
  error?: Maybe<Scalars['String']['output']>;
  latencyMs: Scalars['Int']['output'];
  /** When the next attempt was scheduled for after this one; null when none was. */
  nextRetryAt?: Maybe<Scalars['AWSDateTime']['output']>;
  /** The receiver's HTTP status; null when none came (timeout, connection refused). */
  statusCode?: Maybe<Scalars['Int']['output']>;
};

export type WebhookDeliveryConnection = {
  __typename?: 'WebhookDeliveryConnection';
  items: Array<WebhookDelivery>;
  nextToken?: Maybe<Scalars['String']['output']>;
};

export type WebhookDeliveryFilter = {
  status?: InputMaybe<WebhookDeliveryStatus>;
};

export type WebhookDeliveryStatus =
  | 'FAILED'
  | 'PENDING'
  | 'SUCCEEDED';

export type WebhookEndpoint = {
  __typename?: 'WebhookEndpoint';
  /** Secrets that currently sign (two during a rotation's overlap). */
  activeSecrets: Scalars['Int']['output'];
  createdAt: Scalars['AWSDateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  enabled: Scalars['Boolean']['output'];
  eventTypes: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Only in the answer of createWebhookEndpoint and rotateWebhookSecret; null everywhere else. */
  secret?: Maybe<Scalars['String']['output']>;
  status: WebhookEndpointStatus;
  updatedAt: Scalars['AWSDateTime']['output'];
  url: Scalars['String']['output'];
};

export type WebhookEndpointStatus =
  | 'ACTIVE'
  /** The last delivery exhausted its retry schedule; the next success or enabling it clears this. */
  | 'FAILING';
