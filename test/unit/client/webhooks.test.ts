// verifyWebhookSignature against signatures made here with node:crypto, as the header format says.
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  verifyWebhookSignature,
  type WebhookSignatureError,
  type WebhookSignatureFailure,
} from "../../../clients/typescript/src/webhooks";

const SECRET = "whsec_current";
const OLD_SECRET = "whsec_previous";
const NOW = 1_800_000_000;
const BODY = '{"eventId":"evt_1","type":"PaymentSettled","data":{"amount":"12.50"}}';
const at = (seconds: number) => ({ nowSeconds: () => seconds });

const sign = (secret: string, t: number, body: string | Uint8Array) =>
  createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
const header = (t: number, body: string | Uint8Array, ...secrets: string[]) =>
  [`t=${t}`, ...secrets.map((s) => `v1=${sign(s, t, body)}`)].join(",");

function failure(run: () => unknown): WebhookSignatureFailure | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as WebhookSignatureError).reason;
  }
}

describe("verifyWebhookSignature", () => {
  it("accepts a body signed with the secret, within the tolerance", () => {
    expect(verifyWebhookSignature(BODY, header(NOW - 299, BODY, SECRET), [SECRET], 300, at(NOW))).toEqual({
      timestamp: NOW - 299,
      secretIndex: 0,
    });
    // A single secret may be given as a string, and raw bytes instead of a string.
    expect(
      verifyWebhookSignature(Buffer.from(BODY), header(NOW, BODY, SECRET), SECRET, 300, at(NOW)),
    ).toEqual({
      timestamp: NOW,
      secretIndex: 0,
    });
  });

  it("verifies with either secret during a rotation, and says which matched", () => {
    const rotating = header(NOW, BODY, SECRET, OLD_SECRET);
    expect(verifyWebhookSignature(BODY, rotating, [OLD_SECRET], 300, at(NOW)).secretIndex).toBe(0);
    expect(verifyWebhookSignature(BODY, rotating, ["whsec_other", SECRET], 300, at(NOW)).secretIndex).toBe(1);
  });

  it("rejects a tampered body and an unknown secret as signature_mismatch", () => {
    const signed = header(NOW, BODY, SECRET);
    expect(
      failure(() => verifyWebhookSignature(BODY.replace("12.50", "99.50"), signed, SECRET, 300, at(NOW))),
    ).toBe("signature_mismatch");
    expect(failure(() => verifyWebhookSignature(BODY, signed, ["whsec_unknown"], 300, at(NOW)))).toBe(
      "signature_mismatch",
    );
    // The timestamp is signed too: moving it breaks the signature.
    const moved = signed.replace(`t=${NOW}`, `t=${NOW + 1}`);
    expect(failure(() => verifyWebhookSignature(BODY, moved, SECRET, 300, at(NOW)))).toBe(
      "signature_mismatch",
    );
  });

  it("rejects a valid signature outside the tolerance either way", () => {
    expect(
      failure(() => verifyWebhookSignature(BODY, header(NOW - 301, BODY, SECRET), SECRET, 300, at(NOW))),
    ).toBe("timestamp_outside_tolerance");
    expect(
      failure(() => verifyWebhookSignature(BODY, header(NOW + 61, BODY, SECRET), SECRET, 60, at(NOW))),
    ).toBe("timestamp_outside_tolerance");
  });

  it.each([
    [undefined, "is missing"],
    ["", "is missing"],
    [`v1=${"a".repeat(64)}`, "has no t="],
    [`t=${NOW}`, "has no v1="],
    [`t=${NOW},t=${NOW},v1=${"a".repeat(64)}`, "more than one t="],
    [`t=soon,v1=${"a".repeat(64)}`, "not unix seconds"],
    [`t=${NOW},v1=abc`, "not 64 hex digits"],
    [`t=${NOW};v1=${"a".repeat(64)}`, "not unix seconds"],
    [`t=${NOW},garbage`, 'without "="'],
  ])("rejects the malformed header %j", (value, why) => {
    let error: WebhookSignatureError | undefined;
    try {
      verifyWebhookSignature(BODY, value, SECRET, 300, at(NOW));
    } catch (thrown) {
      error = thrown as WebhookSignatureError;
    }
    expect(error?.reason).toBe("malformed_header");
    expect(error?.message).toContain(why);
  });

  it("skips signature schemes it does not know", () => {
    const signed = `${header(NOW, BODY, SECRET)},v2=${"b".repeat(64)}`;
    expect(verifyWebhookSignature(BODY, signed, SECRET, 300, at(NOW)).secretIndex).toBe(0);
  });

  it("refuses to verify without a secret", () => {
    expect(failure(() => verifyWebhookSignature(BODY, header(NOW, BODY, SECRET), [], 300, at(NOW)))).toBe(
      "no_secrets",
    );
    expect(failure(() => verifyWebhookSignature(BODY, header(NOW, BODY, SECRET), "", 300, at(NOW)))).toBe(
      "no_secrets",
    );
  });

  it("property: what was signed verifies, and any single-byte change of the body fails", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 0, max: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (body, secret, age, position, flip) => {
          const signed = header(NOW - age, body, secret);
          expect(verifyWebhookSignature(body, signed, [secret], 300, at(NOW)).timestamp).toBe(NOW - age);
          const changed = Uint8Array.from(body);
          const index = position % body.length;
          changed[index] = (changed[index] ?? 0) ^ flip;
          expect(failure(() => verifyWebhookSignature(changed, signed, [secret], 300, at(NOW)))).toBe(
            "signature_mismatch",
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
