// @payrail/client with an OIDC ID token (an app's signed-in user) against the AppSync emulator:
// the same `token` option as an API token, the tenant taken from the token's claim. The full
// local stack has no OIDC issuer, so this runs on the emulator with the fixture API.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPayrailClient, InvalidState, NotFound, Unauthorized } from "../../../clients/typescript/src";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { requests } from "../../fixtures/appsync/handlers/payments-api";
import { fixturePayrailApi } from "../../fixtures/appsync/payrail-api";

const ISSUER = "https://login.payrail.test";
let emulator: AppSyncEmulator;
let sign: (tenantId: string) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  emulator = await startAppSyncEmulator({
    api: fixturePayrailApi,
    oidc: { issuer: ISSUER, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "o1", alg: "ES256" }] } },
    logger: () => {},
  });
  sign = (tenantId) =>
    new SignJWT({ tenant_id: tenantId, scope: "payments:read payments:review" })
      .setProtectedHeader({ alg: "ES256", kid: "o1" })
      .setIssuer(ISSUER)
      .setSubject("app-user-1")
      .setExpirationTime("5m")
      .sign(privateKey);
});

afterAll(async () => {
  await emulator?.stop();
});

describe("@payrail/client with OIDC tokens", () => {
  it("sends a fresh token per request and gets the token's tenant's payments only", async () => {
    let issued = 0;
    const client = createPayrailClient({
      endpoint: emulator.url,
      token: () => {
        issued++;
        return sign("globex");
      },
    });
    const payment = await client.payment({ id: "pay_globex" });
    expect(payment).toMatchObject({ id: "pay_globex", status: "IN_REVIEW", payer: { cardLast4: "4242" } });
    expect(requests.at(-1)).toMatchObject({ tenantId: "globex", principal: "app-user-1" });
    expect(await client.payment({ id: "pay_acme" })).toBeNull();
    await expect(client.approvePayment({ id: "pay_acme", reason: "x" })).rejects.toBeInstanceOf(NotFound);
    const error = await client.approvePayment({ id: "pay_globex", reason: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidState);
    expect((error as InvalidState).errorInfo).toEqual({ status: "SETTLED" });
    expect(issued).toBe(4);
  });

  it("raises Unauthorized for a token of another issuer's key", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const forged = await new SignJWT({ tenant_id: "globex" })
      .setProtectedHeader({ alg: "ES256", kid: "o1" })
      .setIssuer(ISSUER)
      .setExpirationTime("5m")
      .sign(privateKey);
    const client = createPayrailClient({ endpoint: emulator.url, token: forged, retry: { attempts: 1 } });
    await expect(client.payment({ id: "pay_globex" })).rejects.toBeInstanceOf(Unauthorized);
  });
});
