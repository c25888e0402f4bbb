// routingPreview: the planner over the caller's tenant config, for partners debugging their
// routing in the playground. Reads config only: nothing is stored, no event is sent, and
// no card number is asked for (brand and BIN country are what routing looks at; a BIN of 6-8
// digits is looked up in the BIN table for them).
import { CARD_BRANDS, PAYMENT_TYPES, type PayrailConfig } from "../../core/config";
import { COUNTRY } from "../../core/config/patterns";
import { tenantAndRegion } from "../../core/config/tenant-and-region";
import { validationError } from "../../core/errors";
import type { RoutingPreview, RoutingPreviewInput } from "../../core/generated/graphql";
import { formatMoney, moneyFromMinor, parseMoney } from "../../core/money";
import { BIN_TABLE, type BinRange, lookupBin } from "../../core/payment-methods";
import { parseMetadata } from "../../core/payment-methods/metadata";
import { feeFor } from "../../core/processors";
import { planRoute, type RoutingInput } from "../../core/routing";
import type { ApiRequest, ApiResponse } from "../api/contract";
import { requireAccess } from "../api/contract";
import { SCOPES } from "../persistence/ports/control-plane";

function optionalCountry(value: unknown, field: string): string | null {
  if (value == null) return null;
  if (typeof value !== "string" || !COUNTRY.test(value))
    throw validationError(field, "must be an ISO 3166-1 alpha-2 code like DE");
  return value;
}

/** The BIN's row, null when the table does not list it; undefined when no BIN was given. */
function binRange(input: Partial<RoutingPreviewInput>): BinRange | null | undefined {
  if (input.bin == null) return undefined;
  if (typeof input.bin !== "string" || !/^\d{6,8}$/.test(input.bin))
    throw validationError("input.bin", "must be the card's first 6 to 8 digits");
  if (input.binCountry != null)
    throw validationError("input.binCountry", "give bin or binCountry, not both (bin is looked up)");
  return lookupBin(BIN_TABLE, input.bin);
}

function routingInput(raw: unknown): RoutingInput {
  if (!raw || typeof raw !== "object") throw validationError("input", "is required");
  const input = raw as Partial<RoutingPreviewInput>;
  if (!input.paymentType || !PAYMENT_TYPES.includes(input.paymentType))
    throw validationError("input.paymentType", "is not a payment type");
  if (typeof input.currency !== "string") throw validationError("input.currency", "is required");
  if (typeof input.amount !== "string") throw validationError("input.amount", "is required");
  const bin = binRange(input);
  const cardBrand = input.cardBrand ?? bin?.brand ?? null;
  if (cardBrand !== null && !(CARD_BRANDS as readonly string[]).includes(cardBrand))
    throw validationError("input.cardBrand", `must be one of ${CARD_BRANDS.join(", ")}`);
  return {
    paymentId: null,
    paymentType: input.paymentType,
    amount: parseMoney(input.amount, input.currency, "input.amount"),
    cardBrand,
    binCountry:
      bin === undefined ? optionalCountry(input.binCountry, "input.binCountry") : (bin?.country ?? null),
    payerCountry: optionalCountry(input.payerCountry, "input.payerCountry"),
    metadata: input.metadata != null ? parseMetadata(input.metadata) : null,
  };
}

export async function routingPreview(
  config: () => Promise<PayrailConfig>,
  request: ApiRequest,
): Promise<ApiResponse> {
  requireAccess(request, SCOPES.read);
  const input = routingInput(request.arguments.input);
  const loaded = await config();
  const { tenant } = tenantAndRegion(loaded, request.tenantId);
  const plan = planRoute(loaded.routing, tenant.id, tenant.region, input);
  const weights = new Map(plan.split?.map((entry) => [entry.processor, entry.weight]));
  const preview: RoutingPreview = {
    ruleId: plan.ruleId,
    processors: plan.processors.map((processor) => {
      const personality = loaded.routing.personalities.get(processor);
      const fee = personality ? (feeFor(personality, input.amount) ?? 0n) : 0n;
      return {
        processor,
        weight: weights.get(processor) ?? null,
        fee: formatMoney(moneyFromMinor(fee, input.amount.currency)),
      };
    }),
    skipped: plan.skipped.map((s) => ({ ...s })),
    maxAttempts: plan.budget.maxAttempts,
    maxTotalMs: plan.budget.maxTotalMs,
  };
  return { data: preview };
}
