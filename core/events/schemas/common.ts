// Schema building blocks shared by the per-type, per-version files. JSON Schema
// draft-07 (what Glue Schema Registry accepts); every object is closed with
// `additionalProperties: false` so card data cannot ride along in an unknown field.
// Enums and patterns are literals on purpose: a published version must not change
// when code elsewhere does. These blocks are shared by published versions, so change
// them only compatibly (the schema registry compares with what it registered before).
import type { JsonSchema } from "../compatibility";

export const AMOUNT_MINOR: JsonSchema = { type: "string", pattern: "^(0|[1-9][0-9]{0,17})$" };
export const CURRENCY: JsonSchema = { type: "string", pattern: "^[A-Z]{3}$" };
export const RAIL: JsonSchema = { type: "string", minLength: 1, maxLength: 64 };
export const SHORT_TEXT: JsonSchema = { type: "string", minLength: 1, maxLength: 140 };

const ACCOUNT: JsonSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    iban: { type: "string", pattern: "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$" },
    bic: { type: "string", pattern: "^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$" },
    routingNumber: { type: "string", pattern: "^[0-9]{9}$" },
    accountNumber: { type: "string", pattern: "^[0-9]{4,17}$" },
    accountType: { enum: ["CHECKING", "SAVINGS"] },
    sortCode: { type: "string", pattern: "^[0-9]{6}$" },
    pixKey: { type: "string", minLength: 1, maxLength: 77 },
    pixKeyType: { enum: ["CPF", "CNPJ", "EMAIL", "PHONE", "EVP"] },
    vpa: { type: "string", minLength: 3, maxLength: 320 },
  },
};

export const PARTY: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: SHORT_TEXT,
    country: { type: "string", pattern: "^[A-Z]{2}$" },
    maskedAccount: { type: "string", maxLength: 64 },
    cardToken: { type: "string", minLength: 1, maxLength: 128 },
    cardLast4: { type: "string", pattern: "^[0-9]{4}$" },
    cardBrand: { enum: ["visa", "mastercard", "amex", "discover", "diners", "jcb", "unionpay", "maestro"] },
    cardExpiry: { type: "string", pattern: "^(0[1-9]|1[0-2])/[0-9]{2}$" },
    account: ACCOUNT,
  },
};

/** The full record schema for one event type: envelope plus that type's `data`. */
export function eventSchema(type: string, version: number, data: JsonSchema): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: `https://payrail.dev/schemas/events/${type}/v${version}.json`,
    title: `${type} v${version}`,
    type: "object",
    additionalProperties: false,
    required: [
      "eventId",
      "type",
      "schemaVersion",
      "tenantId",
      "paymentId",
      "paymentType",
      "correlationId",
      "causationId",
      "sequence",
      "occurredAt",
      "data",
    ],
    properties: {
      eventId: { type: "string", format: "uuid" },
      type: { const: type },
      // Not a const: the registry looks the schema up by version, and a const would make
      // every new version incompatible with the last.
      schemaVersion: { type: "integer", minimum: 1 },
      tenantId: { type: "string", pattern: "^[a-z][a-z0-9-]{1,31}$" },
      paymentId: { type: "string", minLength: 1, maxLength: 64 },
      paymentType: { enum: ["CARD", "SEPA_CREDIT", "ACH", "PIX", "UPI", "FASTER_PAYMENTS"] },
      correlationId: { type: "string", minLength: 1, maxLength: 128 },
      causationId: { type: ["string", "null"], format: "uuid" },
      sequence: { type: "integer", minimum: 1 },
      occurredAt: { type: "string", format: "date-time" },
      data: { ...data, type: "object", additionalProperties: false },
    },
  };
}
