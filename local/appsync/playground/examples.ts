// The editor tabs a partner sees first: start a payment, then watch it move.
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

export const PAYRAIL_EXAMPLES: PlaygroundExample[] = [
  { query: initiateCardPayment, variables: initiateCardPaymentVariables },
  { query: watchPayments },
  { query: recentPayments },
];
