import { createHash, timingSafeEqual } from "node:crypto";
import { ErrorCode } from "../../protocol/errors";
import { saslAuthenticate, saslHandshake } from "../../protocol/requests";
import type { SaslAuthenticateRequest } from "../../protocol/requests/sasl-authenticate/types";
import type { SaslHandshakeRequest } from "../../protocol/requests/sasl-handshake/types";
import { type BrokerCore, type ConnectionSession, route, type SaslConfig } from "../core";

const PLAIN = "PLAIN";

export const saslHandshakeRoute = route({
  codec: saslHandshake,
  handle: (req: SaslHandshakeRequest, { core, session, header }) => {
    if (!core.sasl || session.authenticated)
      return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, mechanisms: [] };
    if (req.mechanism !== PLAIN)
      return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, mechanisms: [PLAIN] };
    session.mechanism = PLAIN;
    session.rawTokenNext = header.apiVersion === 0;
    return { errorCode: ErrorCode.NONE, mechanisms: [PLAIN] };
  },
});

const digest = (s: string) => createHash("sha256").update(s).digest();

/** RFC 4616 PLAIN: [authzid] NUL authcid NUL passwd; compared in constant time. */
export function checkPlain(sasl: SaslConfig, token: Buffer): string | null {
  const parts = token.toString("utf8").split("\u0000");
  if (parts.length !== 3) return null;
  const [authzid, user, password] = parts;
  if (authzid !== "" && authzid !== user) return null;
  const expected = sasl.plainUsers.get(user);
  const ok = timingSafeEqual(digest(expected ?? "\u0000no-user"), digest(password));
  return ok && expected !== undefined ? user : null;
}

const EMPTY = Buffer.alloc(0);

/**
 * Checks a PLAIN token for this connection and records the outcome; a failure marks the
 * connection to close after its answer. Shared by SaslAuthenticate and the v0 bare-token flow.
 */
export function authenticatePlain(
  core: BrokerCore,
  session: ConnectionSession,
  connectionId: number,
  token: Buffer,
) {
  const log = { connectionId, correlationId: `conn-${connectionId}` };
  const user = core.sasl ? checkPlain(core.sasl, token) : null;
  if (!user) {
    session.closeAfterResponse = true;
    // Neither the password nor the attempted user name reaches the log.
    core.logger.warn("SASL authentication failed", log);
    return false;
  }
  session.authenticated = true;
  session.principal = user;
  core.logger.info("client authenticated", { ...log, user });
  return true;
}

export const saslAuthenticateRoute = route({
  codec: saslAuthenticate,
  handle: (req: SaslAuthenticateRequest, { core, session, connectionId }) => {
    const answer = (errorCode: number, errorMessage: string | null) => ({
      errorCode,
      errorMessage,
      authBytes: EMPTY,
      sessionLifetimeMs: 0n,
    });
    if (!core.sasl || session.authenticated || session.mechanism !== PLAIN) {
      session.closeAfterResponse = true;
      return answer(ErrorCode.ILLEGAL_SASL_STATE, "SaslHandshake must come first");
    }
    return authenticatePlain(core, session, connectionId, req.authBytes)
      ? answer(ErrorCode.NONE, null)
      : answer(ErrorCode.SASL_AUTHENTICATION_FAILED, "Authentication failed: invalid username or password");
  },
});
