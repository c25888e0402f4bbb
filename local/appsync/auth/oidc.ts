// OPENID_CONNECT: a JWT verified against a local JWKS and the configured issuer.
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import { AuthError, type Caller, NOT_AUTHORIZED } from "./types";

export type OidcOptions = { issuer: string; jwks: JSONWebKeySet; clientId?: string };

export function createOidcVerifier(options: OidcOptions) {
  const keys = createLocalJWKSet(options.jwks);
  return async (token: string): Promise<Caller> => {
    try {
      const { payload } = await jwtVerify(token.replace(/^Bearer /i, ""), keys, {
        issuer: options.issuer,
        ...(options.clientId ? { audience: options.clientId } : {}),
      });
      return {
        mode: "OPENID_CONNECT",
        identity: { sub: payload.sub ?? null, issuer: payload.iss, claims: payload },
        deniedFields: [],
      };
    } catch {
      throw new AuthError(NOT_AUTHORIZED);
    }
  };
}

/** Whether a token looks like a JWT issued by the configured issuer (to choose the mode). */
export const isJwtFrom = (token: string, issuer: string): boolean => {
  const [, body] = token.replace(/^Bearer /i, "").split(".");
  if (!body) return false;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString("utf8")).iss === issuer;
  } catch {
    return false;
  }
};
