// The local IAM key pair is per data dir: two dirs get different keys, a dir keeps its key
// across starts (0600), and the emulator refuses publishPaymentUpdate signed with another's.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppSyncRequestError, iamAppSyncClient } from "../../../consumers/platform/appsync-client";
import type { PaymentUpdateInput } from "../../../core/generated/graphql";
import { type AppSyncEmulator, startAppSyncEmulator } from "../../../local/appsync/emulator";
import { IAM_CREDENTIALS_FILE, localIamCredential } from "../../../local/iam-credentials";
import { fixturePayrailApi } from "../../fixtures/appsync/payrail-api";

const update = {
  tenantId: "acme",
  paymentId: "pay_iam",
  status: "SETTLED",
  previousStatus: "EXECUTED",
  paymentType: "CARD",
  amount: "12.50",
  currency: "EUR",
  sequence: 4,
  eventType: "PaymentStatusChanged",
  reason: null,
  correlationId: "corr-iam",
  occurredAt: "2026-11-27T08:00:00.000Z",
} as PaymentUpdateInput;

describe("local IAM key pair", () => {
  let dirA = "";
  let dirB = "";
  let emulator: AppSyncEmulator;
  beforeAll(async () => {
    dirA = await mkdtemp(join(tmpdir(), "payrail-iam-a-"));
    dirB = await mkdtemp(join(tmpdir(), "payrail-iam-b-"));
    emulator = await startAppSyncEmulator({
      api: fixturePayrailApi,
      iamCredentials: [await localIamCredential(dirA)],
      logger: () => {},
    });
  });
  afterAll(async () => {
    await emulator?.stop();
    await Promise.all([dirA, dirB].map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("is made per data dir, kept 0600, and the same on the next start", async () => {
    const a = await localIamCredential(dirA);
    const b = await localIamCredential(dirB);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(a.secretAccessKey).not.toBe(b.secretAccessKey);
    expect(a.secretAccessKey.length).toBeGreaterThanOrEqual(40);
    expect(await localIamCredential(dirA)).toEqual(a);
    expect((await stat(join(dirA, IAM_CREDENTIALS_FILE))).mode & 0o777).toBe(0o600);
    expect(await localIamCredential(undefined)).not.toEqual(await localIamCredential(undefined));
  });

  it("signs publishPaymentUpdate with its own dir's key; another dir's key is refused", async () => {
    const client = (credentials: Awaited<ReturnType<typeof localIamCredential>>) =>
      iamAppSyncClient({ url: emulator.url, region: "eu-west-1", credentials });
    await expect(client(await localIamCredential(dirA)).publishPaymentUpdate(update)).resolves.toMatchObject({
      paymentId: "pay_iam",
    });
    const refused = await client(await localIamCredential(dirB))
      .publishPaymentUpdate(update)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppSyncRequestError);
    expect(String((refused as Error).message)).toMatch(/Unauthorized|UnauthorizedException/);
  });
});
