// AppSync Lambda authorization for partner API tokens `prl_<tenant>_<secret>`: the
// token is looked up by its SHA-256 in the control plane; the tenant, scopes and a
// principal go to the resolvers as resolverContext. Fields the token's scopes do not
// cover are denied outright, so a non-admin token cannot even reach the review mutations.
import type { AppSyncAuthorizerEvent } from "aws-lambda";
import {
  type ControlPlane,
  hashApiToken,
  SCOPES,
  tenantOfApiToken,
} from "../persistence/ports/control-plane";

export type ResolverContext = { tenantId: string; scopes: string; principal: string };

export type AuthorizerResult = {
  isAuthorized: boolean;
  resolverContext?: ResolverContext;
  deniedFields?: string[];
  ttlOverride?: number;
};

/** The scope each field needs; queries need read, initiation write, review the admin scope. */
const FIELD_SCOPES: Readonly<Record<string, string>> = {
  "Query.payment": SCOPES.read,
  "Query.payments": SCOPES.read,
  "Query.paymentEvents": SCOPES.read,
  "Subscription.onPaymentUpdated": SCOPES.read,
  "Mutation.initiatePayment": SCOPES.write,
  "Mutation.approvePayment": SCOPES.review,
  "Mutation.declinePayment": SCOPES.review,
  "Query.webhookEndpoints": SCOPES.webhooks,
  "Query.webhookDeliveries": SCOPES.webhooks,
  "Mutation.createWebhookEndpoint": SCOPES.webhooks,
  "Mutation.updateWebhookEndpoint": SCOPES.webhooks,
  "Mutation.deleteWebhookEndpoint": SCOPES.webhooks,
  "Mutation.rotateWebhookSecret": SCOPES.webhooks,
  "Mutation.redeliverWebhook": SCOPES.webhooks,
};

/** Not cached (0 s): a revoked token, or a deleted tenant's, is refused on its next request. */
export const AUTHORIZER_CACHE_SECONDS = 0;
const DENY: AuthorizerResult = { isAuthorized: false, ttlOverride: 0 };

export async function authorize(
  event: AppSyncAuthorizerEvent,
  controlPlane: ControlPlane,
): Promise<AuthorizerResult> {
  const token = event.authorizationToken?.replace(/^Bearer\s+/i, "") ?? "";
  const claimedTenant = tenantOfApiToken(token);
  if (!claimedTenant) return DENY;
  // One read for both: the token says which tenant it claims, and its record must agree.
  const { token: record, tenant } = await controlPlane.getApiTokenAndTenant(
    hashApiToken(token),
    claimedTenant,
  );
  if (!record || record.revokedAt || record.tenantId !== claimedTenant) return DENY;
  // A deleted (disabled) tenant's tokens are revoked too; this also covers one added meanwhile.
  if (!tenant || tenant.disabledAt) return DENY;
  const deniedFields = Object.entries(FIELD_SCOPES)
    .filter(([, scope]) => !record.scopes.includes(scope))
    .map(([field]) => field);
  return {
    isAuthorized: true,
    resolverContext: {
      tenantId: record.tenantId,
      scopes: record.scopes.join(","),
      principal: record.tokenId,
    },
    ...(deniedFields.length > 0 ? { deniedFields } : {}),
    ttlOverride: AUTHORIZER_CACHE_SECONDS,
  };
}
