// One JSON line per operation, each with the caller's tenant and the correlation id.
import type { Caller } from "./auth/types";

export type Logger = (line: Record<string, unknown>) => void;

export const jsonLogger: Logger = (line) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", ...line })}\n`);
};

/** The tenant of an identity (authorizer resolverContext or OIDC claim); null for IAM/API key. */
export const tenantOf = (caller: Caller | undefined): string | null => {
  const identity = caller?.identity as
    | { resolverContext?: { tenantId?: unknown }; claims?: { tenant_id?: unknown } }
    | null
    | undefined;
  const tenant = identity?.resolverContext?.tenantId ?? identity?.claims?.tenant_id;
  return typeof tenant === "string" ? tenant : null;
};
