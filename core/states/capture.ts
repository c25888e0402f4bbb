// Manual capture's arithmetic: how much a capture takes of an authorization, and when an
// authorization can no longer be captured. Refunded ≤ captured ≤ authorized.

export type CaptureDecision =
  | { ok: true; capturedMinor: bigint; releasedMinor: bigint }
  | { ok: false; problem: "exceeds_authorized" | "not_positive" };

/** The whole authorization when no amount is asked for; a smaller amount releases the rest. */
export function captureAmount(authorizedMinor: bigint, requestedMinor?: bigint): CaptureDecision {
  const captured = requestedMinor ?? authorizedMinor;
  if (captured <= 0n) return { ok: false, problem: "not_positive" };
  if (captured > authorizedMinor) return { ok: false, problem: "exceeds_authorized" };
  return { ok: true, capturedMinor: captured, releasedMinor: authorizedMinor - captured };
}

/** When an authorization made at `authorizedAt` expires, `windowHours` later. */
export function authorizationExpiry(authorizedAt: Date, windowHours: number): Date {
  return new Date(authorizedAt.getTime() + windowHours * 3_600_000);
}

export function isAuthorizationExpired(expiresAt: string, now: Date): boolean {
  return Date.parse(expiresAt) <= now.getTime();
}
