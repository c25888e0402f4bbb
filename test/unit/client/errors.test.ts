import { describe, expect, it } from "vitest";
import {
  fromWireError,
  IdempotencyConflict,
  IdempotencyInProgress,
  InternalError,
  InvalidState,
  LimitExceeded,
  NotFound,
  PayrailError,
  TransportError,
  toPayrailError,
  Unauthorized,
  ValidationError,
} from "../../../clients/typescript/src/errors";

describe("error classes per errorType", () => {
  it.each([
    ["ValidationError", ValidationError, false],
    ["IdempotencyConflict", IdempotencyConflict, false],
    ["IdempotencyInProgress", IdempotencyInProgress, true],
    ["NotFound", NotFound, false],
    ["Unauthorized", Unauthorized, false],
    ["LimitExceeded", LimitExceeded, false],
    ["InvalidState", InvalidState, false],
    ["InternalError", InternalError, true],
  ] as const)("%s becomes its class, keeping the message", (errorType, Class, retryable) => {
    const error = fromWireError({ errorType, message: `${errorType} happened`, errorInfo: { a: 1 } });
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(PayrailError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ errorType, message: `${errorType} happened`, errorInfo: { a: 1 } });
    expect(error.name).toBe(errorType);
    expect(error.retryable).toBe(retryable);
  });

  it("names the field of a ValidationError", () => {
    const error = fromWireError({
      errorType: "ValidationError",
      message: "input.amount: too many decimals",
      errorInfo: { field: "input.amount" },
    });
    expect((error as ValidationError).field).toBe("input.amount");
    expect((fromWireError({ errorType: "ValidationError", message: "x" }) as ValidationError).field).toBe(
      undefined,
    );
  });

  it("keeps an errorType it does not know as a plain, non-retryable PayrailError", () => {
    const error = fromWireError({ errorType: "Lambda:Unhandled", message: "boom" });
    expect(error.constructor).toBe(PayrailError);
    expect(error).toMatchObject({ errorType: "Lambda:Unhandled", retryable: false });
  });

  it("maps AppSync's bare HTTP refusals by status", () => {
    const refused = fromWireError({
      message: "Unknown error",
      originalError: { _response: { statusCode: 401 } } as never,
    });
    expect(refused).toBeInstanceOf(Unauthorized);
    expect(refused.message).toMatch(/HTTP 401/);
    const throttled = fromWireError({
      message: "x",
      originalError: { $metadata: { httpStatusCode: 429 } } as never,
    });
    expect(throttled).toBeInstanceOf(LimitExceeded);
  });

  it("treats a failure without errorType or known status as a retryable TransportError", () => {
    const lost = toPayrailError({
      data: {},
      errors: [{ message: "Network error", originalError: { name: "NetworkError" } }],
    });
    expect(lost).toBeInstanceOf(TransportError);
    expect(lost.retryable).toBe(true);
    expect(toPayrailError(new Error("socket hang up"))).toMatchObject({
      errorType: "TransportError",
      message: "socket hang up",
    });
  });

  it("takes the first error of a GraphQL result and passes a PayrailError through", () => {
    const result = {
      data: null,
      errors: [{ errorType: "NotFound", message: "no" }, { errorType: "InternalError" }],
    };
    expect(toPayrailError(result)).toBeInstanceOf(NotFound);
    const error = new InvalidState("InvalidState", "not IN_REVIEW");
    expect(toPayrailError(error)).toBe(error);
  });
});
