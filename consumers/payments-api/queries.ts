// Reads of the caller's own tenant: one payment, a filtered page, a payment's history.
// Tables are per tenant and named from the identity's tenant, so another tenant's
// payment id simply is not there: the answer is the same as for an unknown id.
import { PAYMENT_TYPES } from "../../core/config";
import { validationError } from "../../core/errors";
import type { PaymentFilter } from "../../core/generated/graphql";
import { isPaymentStatus } from "../../core/states";
import type { ApiContext } from "../api/context";
import type { ApiRequest, ApiResponse } from "../api/contract";
import { requireAccess } from "../api/contract";
import { eventView, paymentView } from "../api/view";
import { SCOPES } from "../persistence/ports/control-plane";
import { openPageToken, sealPageToken } from "./page-token";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function idArgument(request: ApiRequest, name: string): string {
  const id = request.arguments[name];
  if (typeof id !== "string" || id.length === 0 || id.length > 64)
    throw validationError(name, "must be a payment id");
  return id;
}

export async function payment(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  requireAccess(request, SCOPES.read);
  const found = await ctx.stores.forTenant(request.tenantId).payments.get(idArgument(request, "id"));
  return { data: found ? paymentView(found.payment) : null };
}

function checkedFilter(raw: unknown): PaymentFilter {
  const filter = (raw ?? {}) as PaymentFilter;
  if (filter.status != null && !isPaymentStatus(filter.status))
    throw validationError("filter.status", "is not a status");
  if (filter.paymentType != null && !PAYMENT_TYPES.includes(filter.paymentType)) {
    throw validationError("filter.paymentType", "is not a payment type");
  }
  for (const field of ["createdAfter", "createdBefore"] as const) {
    const value = filter[field];
    if (value != null && Number.isNaN(Date.parse(value)))
      throw validationError(`filter.${field}`, "must be an ISO-8601 date-time");
  }
  // DynamoDB refuses a BETWEEN whose bounds are reversed; that is the client's mistake, not ours.
  if (filter.createdAfter && filter.createdBefore) {
    if (Date.parse(filter.createdBefore) < Date.parse(filter.createdAfter))
      throw validationError("filter.createdBefore", "must not be before filter.createdAfter");
  }
  return filter;
}

export async function payments(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  requireAccess(request, SCOPES.read);
  const filter = checkedFilter(request.arguments.filter);
  const limit = request.arguments.limit ?? DEFAULT_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw validationError("limit", `must be 1-${MAX_LIMIT}`);
  }
  const key = ctx.stores.secrets.pageTokenKey;
  const token = request.arguments.nextToken;
  const start =
    typeof token === "string" && token ? openPageToken(key, request.tenantId, filter, token) : undefined;
  const page = await ctx.stores.forTenant(request.tenantId).payments.list(
    {
      status: filter.status ?? undefined,
      paymentType: filter.paymentType ?? undefined,
      createdAfter: filter.createdAfter ?? undefined,
      createdBefore: filter.createdBefore ?? undefined,
    },
    limit,
    start,
  );
  return {
    data: {
      items: page.items.map(paymentView),
      nextToken: page.cursor ? sealPageToken(key, request.tenantId, filter, page.cursor) : null,
    },
  };
}

export async function paymentEvents(ctx: ApiContext, request: ApiRequest): Promise<ApiResponse> {
  requireAccess(request, SCOPES.read);
  const events = await ctx.stores.forTenant(request.tenantId).history.list(idArgument(request, "paymentId"));
  return { data: events.map(eventView) };
}
