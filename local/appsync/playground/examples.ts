// The editor tabs a partner sees first: start a payment, then watch it move; webhooks.
import type { PlaygroundExample } from "./config";

const initiateCardPayment = `# Starts a CARD payment for the tenant picked above (acme by default).
# To see it move through risk, execution and settlement as it happens, first open
# "Live updates" in the left sidebar and press Start (or run WatchPayments in a second window).
# The same idempotencyKey returns the first answer again: change it for a new payment.
mutation InitiateCardPayment($input: InitiatePaymentInput!) {
  initiatePayment(input: $input) {
    id
    status
    paymentType
    amount
    currency
    correlationId
    payer {
      name
      cardBrand
      cardLast4
    }
    createdAt
  }
}
`;

const initiateCardPaymentVariables = JSON.stringify(
  {
    input: {
      idempotencyKey: "playground-order-0001",
      amount: "12.50",
      currency: "EUR",
      paymentType: "CARD",
      reference: "Playground order 0001",
      payer: {
        name: "Ada Lovelace",
        country: "DE",
        // A scheme test card: tokenized at once, never stored or returned.
        card: { number: "4242424242424242", expiryMonth: 12, expiryYear: 2030, cvc: "123" },
      },
    },
  },
  null,
  2,
);

const watchPayments = `# Live state changes of the picked tenant's payments (never another tenant's).
# Narrow it with onPaymentUpdated(paymentId: "...") or (status: SETTLED).
subscription WatchPayments {
  onPaymentUpdated {
    paymentId
    status
    previousStatus
    eventType
    paymentType
    amount
    currency
    sequence
    reason
    correlationId
    occurredAt
  }
}
`;

const recentPayments = `# The picked tenant's latest payments, newest first.
query RecentPayments {
  payments(limit: 10) {
    items {
      id
      status
      paymentType
      amount
      currency
      reason
      updatedAt
    }
    nextToken
  }
}
`;

// Webhooks (docs/webhooks.md): register a receiver, then look at what it was sent.
const createWebhookEndpoint = `# Registers a webhook receiver for the picked tenant. Locally the URL may be
# http://127.0.0.1:<port>/… or http://localhost:<port>/… (a server on this machine); on AWS
# only https:// to a public host. The answer's secret (whsec_…) is shown this once: keep it
# to verify the Payrail-Signature header. Then copy the id into "WebhookDeliveries".
mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    id
    url
    eventTypes
    enabled
    status
    secret
  }
}
`;

const createWebhookEndpointVariables = JSON.stringify(
  { input: { url: "http://127.0.0.1:4000/payrail-webhooks", eventTypes: ["*"], description: "playground" } },
  null,
  2,
);

const webhookDeliveries = `# An endpoint's recent deliveries, newest first: every attempt's HTTP status and
# latency, and when the next retry is due. (Run webhookEndpoints { id url } for the ids.)
# redeliverWebhook(deliveryId: "whd_…") queues one again.
query WebhookDeliveries($endpointId: ID!) {
  webhookDeliveries(endpointId: $endpointId, limit: 20) {
    items {
      id
      eventType
      paymentId
      sequence
      status
      nextAttemptAt
      attempts {
        attempt
        at
        statusCode
        latencyMs
        error
      }
    }
    nextToken
  }
}
`;

const webhookDeliveriesVariables = JSON.stringify({ endpointId: "whe_paste-the-endpoint-id" }, null, 2);

export const PAYRAIL_EXAMPLES: PlaygroundExample[] = [
  { query: initiateCardPayment, variables: initiateCardPaymentVariables },
  { query: watchPayments },
  { query: recentPayments },
  { query: createWebhookEndpoint, variables: createWebhookEndpointVariables },
  { query: webhookDeliveries, variables: webhookDeliveriesVariables },
];
