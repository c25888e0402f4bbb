import { eventSchema, PARTY } from "./common";
import { paymentInitiatedV2 } from "./payment-initiated.v2";

const v2Data = paymentInitiatedV2.properties?.data ?? {};

// v3 adds the payer's optional cardBinCountry: the card issuer's country from the BIN table,
// looked up at initiation (the card number is never kept), for routing rules on BIN country.
export const paymentInitiatedV3 = eventSchema("PaymentInitiated", 3, {
  required: v2Data.required,
  properties: {
    ...v2Data.properties,
    payer: {
      ...PARTY,
      properties: { ...PARTY.properties, cardBinCountry: { type: "string", pattern: "^[A-Z]{2}$" } },
    },
  },
});
