import { describe, expect, it } from "vitest";
import {
  IdempotencyConflict,
  IdempotencyInProgress,
  InternalError,
  type PayrailError,
} from "../../../clients/typescript/src/errors";
import { backoffDelay, withRetry } from "../../../clients/typescript/src/retry";

const wire = (errorType: string) => ({ data: null, errors: [{ errorType, message: errorType }] });

/** A request failing with `failures` in turn, then answering "ok"; counts its calls. */
function flaky(failures: unknown[]) {
  let calls = 0;
  return {
    calls: () => calls,
    request: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
      return "ok";
    },
  };
}

describe("withRetry", () => {
  it("retries IdempotencyInProgress and InternalError, then answers", async () => {
    const slept: number[] = [];
    const retried: string[] = [];
    const request = flaky([wire("IdempotencyInProgress"), wire("InternalError")]);
    const answer = await withRetry(request.request, {
      sleep: async (ms) => {
        slept.push(ms);
      },
      random: () => 1,
      onRetry: ({ error, attempt }) => {
        retried.push(`${attempt}:${error.errorType}`);
      },
    });
    expect(answer).toBe("ok");
    expect(request.calls()).toBe(3);
    expect(retried).toEqual(["1:IdempotencyInProgress", "2:InternalError"]);
    expect(slept).toEqual([100, 200]);
  });

  it("does not retry an error the API calls final", async () => {
    const request = flaky([wire("IdempotencyConflict")]);
    await expect(withRetry(request.request, { sleep: async () => undefined })).rejects.toBeInstanceOf(
      IdempotencyConflict,
    );
    expect(request.calls()).toBe(1);
  });

  it("stops after `attempts` and throws the last error", async () => {
    const request = flaky(Array.from({ length: 10 }, () => wire("InternalError")));
    const error = (await withRetry(request.request, { attempts: 3, sleep: async () => undefined }).catch(
      (e: unknown) => e,
    )) as PayrailError;
    expect(error).toBeInstanceOf(InternalError);
    expect(request.calls()).toBe(3);
  });

  it("sends one attempt only with attempts: 1", async () => {
    const request = flaky([wire("IdempotencyInProgress")]);
    await expect(withRetry(request.request, { attempts: 1 })).rejects.toBeInstanceOf(IdempotencyInProgress);
    expect(request.calls()).toBe(1);
  });
});

describe("backoffDelay", () => {
  it("doubles the cap per retry up to maxDelayMs, jittered below it", () => {
    const top = (retry: number) => backoffDelay(retry, { random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6, 7].map(top)).toEqual([99, 199, 399, 799, 1599, 1999, 1999]);
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
    expect(backoffDelay(2, { random: () => 0.5, baseDelayMs: 10, maxDelayMs: 15 })).toBe(7);
  });
});
