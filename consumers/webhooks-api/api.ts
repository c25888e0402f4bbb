// The webhooksApi data source: endpoints (create, list, update, delete, rotate the secret)
// and their delivery log (list, redeliver). Tenant-admin scope only; tables are the
// caller's tenant's, so another tenant's endpoint or delivery is simply NotFound.
import { randomUUID } from "node:crypto";
import { PayrailError, validationError } from "../../core/errors";
import type { WebhookDeliveryStatus } from "../../core/generated/graphql";
import {
  checkedEventTypes,
  checkedWebhookUrl,
  hostOf,
  newWebhookSecret,
  type UrlPolicy,
} from "../../core/webhooks";
import type { ApiContext, ApiHandler } from "../api/context";
import { type ApiRequest, type ApiResponse, asResponse, requireAccess } from "../api/contract";
import { openPageToken, sealPageToken } from "../payments-api/page-token";
import { SCOPES } from "../persistence/ports/control-plane";
import {
  AttemptInFlightError,
  type WebhookEndpointRecord,
  type WebhookStore,
} from "../persistence/ports/webhooks";
import { ForbiddenAddressError, resolveAllowed, urlPolicyOf } from "../platform/address-guard";
import { deliveryView, endpointView } from "./view";

/** Endpoints per tenant: each event is recorded once per matching endpoint. */
export const MAX_ENDPOINTS = 20;
const MAX_OVERLAP_HOURS = 168;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const DELIVERY_STATUSES: readonly WebhookDeliveryStatus[] = ["PENDING", "SUCCEEDED", "FAILED"];

const notFound = (what: string) => new PayrailError("NotFound", `no such webhook ${what}`);

function stringArgument(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== "string" || value.length === 0 || value.length > 64)
    throw validationError(name, "must be an id of at most 64 characters");
  return value;
}

function description(field: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string" || raw.length > 500 || /[\p{Cc}]/u.test(raw))
    throw validationError(field, "must be at most 500 characters without control characters");
  return raw;
}

/** The URL rules, DNS included: every address the host resolves to must be allowed. */
async function checkedUrl(field: string, raw: unknown, policy: UrlPolicy): Promise<string> {
  const url = checkedWebhookUrl(field, raw, policy);
  try {
    await resolveAllowed(hostOf(url), policy);
  } catch (error) {
    if (error instanceof ForbiddenAddressError)
      throw validationError(field, "must not resolve to a private, link-local or metadata address");
    throw validationError(field, `host ${url.hostname} does not resolve`);
  }
  return url.href;
}

async function existing(store: WebhookStore, id: string): Promise<WebhookEndpointRecord> {
  const found = await store.endpoints.get(id);
  if (!found) throw notFound("endpoint");
  return found;
}

export function createWebhooksApiHandler(ctx: ApiContext): ApiHandler {
  const policy = urlPolicyOf(ctx.stores.env);
  const storeOf = (request: ApiRequest) => {
    requireAccess(request, SCOPES.webhooks);
    return ctx.stores.forTenant(request.tenantId).webhooks;
  };

  const fields: Record<string, (request: ApiRequest) => Promise<ApiResponse>> = {
    async createWebhookEndpoint(request) {
      const store = storeOf(request);
      const input = (request.arguments.input ?? {}) as Record<string, unknown>;
      const url = await checkedUrl("input.url", input.url, policy);
      const eventTypes = checkedEventTypes("input.eventTypes", input.eventTypes);
      const text = description("input.description", input.description);
      if ((await store.endpoints.list()).length >= MAX_ENDPOINTS)
        throw new PayrailError("LimitExceeded", `a tenant has at most ${MAX_ENDPOINTS} webhook endpoints`, {
          limit: "webhookEndpoints",
        });
      const secret = newWebhookSecret();
      const now = ctx.now();
      const record = await store.endpoints.create(
        {
          endpointId: `whe_${randomUUID().replaceAll("-", "")}`,
          url,
          eventTypes,
          enabled: true,
          ...(text ? { description: text } : {}),
        },
        secret,
        now,
      );
      return { data: endpointView(record, now, secret) };
    },

    async webhookEndpoints(request) {
      const now = ctx.now();
      return { data: (await storeOf(request).endpoints.list()).map((record) => endpointView(record, now)) };
    },

    async updateWebhookEndpoint(request) {
      const store = storeOf(request);
      const record = await existing(store, stringArgument(request.arguments, "id"));
      const input = (request.arguments.input ?? {}) as Record<string, unknown>;
      const next: WebhookEndpointRecord = { ...record, updatedAt: ctx.now().toISOString() };
      if (input.url != null) next.url = await checkedUrl("input.url", input.url, policy);
      if (input.eventTypes != null) next.eventTypes = checkedEventTypes("input.eventTypes", input.eventTypes);
      if (input.description != null) next.description = description("input.description", input.description);
      if (input.enabled != null) {
        if (typeof input.enabled !== "boolean") throw validationError("input.enabled", "must be a boolean");
        next.enabled = input.enabled;
        // Enabling is the partner saying "fixed": a FAILING mark is cleared.
        if (input.enabled) next.status = "ACTIVE";
      }
      if (!(await store.endpoints.save(next))) throw notFound("endpoint");
      return { data: endpointView(next, ctx.now()) };
    },

    async deleteWebhookEndpoint(request) {
      const store = storeOf(request);
      const record = await existing(store, stringArgument(request.arguments, "id"));
      if (!(await store.endpoints.delete(record.endpointId))) throw notFound("endpoint");
      return { data: endpointView(record, ctx.now()) };
    },

    async rotateWebhookSecret(request) {
      const store = storeOf(request);
      const hours = request.arguments.expiresCurrentInHours;
      if (typeof hours !== "number" || !Number.isInteger(hours) || hours < 0 || hours > MAX_OVERLAP_HOURS)
        throw validationError("expiresCurrentInHours", `must be an integer 0-${MAX_OVERLAP_HOURS}`);
      const record = await existing(store, stringArgument(request.arguments, "id"));
      const secret = newWebhookSecret();
      const now = ctx.now();
      const rotated = store.endpoints.rotated(record, secret, hours * 3_600_000, now);
      if (!(await store.endpoints.save(rotated))) throw notFound("endpoint");
      return { data: endpointView(rotated, now, secret) };
    },

    async webhookDeliveries(request) {
      const store = storeOf(request);
      const endpoint = await existing(store, stringArgument(request.arguments, "endpointId"));
      const filter = (request.arguments.filter ?? {}) as { status?: WebhookDeliveryStatus | null };
      if (filter.status != null && !DELIVERY_STATUSES.includes(filter.status))
        throw validationError("filter.status", `must be one of ${DELIVERY_STATUSES.join(", ")}`);
      const limit = request.arguments.limit ?? DEFAULT_LIMIT;
      if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw validationError("limit", `must be 1-${MAX_LIMIT}`);
      const key = ctx.stores.secrets.pageTokenKey;
      const binding = { endpointId: endpoint.endpointId, status: filter.status ?? null };
      const token = request.arguments.nextToken;
      const start =
        typeof token === "string" && token ? openPageToken(key, request.tenantId, binding, token) : undefined;
      const page = await store.deliveries.list(endpoint.endpointId, {
        ...(filter.status ? { status: filter.status } : {}),
        limit,
        ...(start ? { cursor: start } : {}),
      });
      return {
        data: {
          items: page.items.map(deliveryView),
          nextToken: page.cursor ? sealPageToken(key, request.tenantId, binding, page.cursor) : null,
        },
      };
    },

    async redeliverWebhook(request) {
      const store = storeOf(request);
      const deliveryId = stringArgument(request.arguments, "deliveryId");
      const found = await store.deliveries.get(deliveryId);
      if (!found || !(await store.endpoints.get(found.endpointId))) throw notFound("delivery");
      const queued = await store.deliveries.redeliver(deliveryId, ctx.now()).catch((error: unknown) => {
        if (error instanceof AttemptInFlightError)
          throw new PayrailError(
            "InvalidState",
            "an attempt of this delivery is in flight; retry in a few seconds",
          );
        throw error;
      });
      if (!queued) throw notFound("delivery");
      return { data: deliveryView(queued) };
    },
  };

  return async (request) => {
    const field = Object.hasOwn(fields, request.field) ? fields[request.field] : undefined;
    if (!field) throw new Error(`webhooksApi does not serve ${request.field}`);
    try {
      return await field(request);
    } catch (error) {
      return asResponse(error);
    }
  };
}
