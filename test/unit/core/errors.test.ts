import { describe, expect, it } from "vitest";
import { ERROR_TYPES, isPayrailError, PayrailError, validationError } from "../../../core/errors";

describe("PayrailError", () => {
  it("has exactly the errorTypes documented in schema.graphql", async () => {
    const { readFile } = await import("node:fs/promises");
    const schema = await readFile("schema.graphql", "utf8");
    const documented = [...schema.matchAll(/^# {3}([A-Z][A-Za-z]+) /gm)].map((m) => m[1]);
    expect(documented).toEqual([...ERROR_TYPES]);
  });

  it("becomes the ApiResponse error shape, with errorInfo only when given", () => {
    expect(new PayrailError("NotFound", "no such payment").toApiError()).toEqual({
      errorType: "NotFound",
      message: "no such payment",
    });
    const error = validationError("input.amount", "amount is empty");
    expect(error.toApiError()).toEqual({
      errorType: "ValidationError",
      message: "input.amount: amount is empty",
      errorInfo: { field: "input.amount" },
    });
    expect(isPayrailError(error)).toBe(true);
    expect(isPayrailError(new Error("x"))).toBe(false);
    expect(error).toBeInstanceOf(Error);
  });
});
