import { describe, expect, it } from "vitest";
import { PayrailError } from "../../../core/errors";
import { METADATA_LIMITS, parseMetadata } from "../../../core/payment-methods";
import { thrown } from "./thrown";

/** `{"a":{"a":…1…}}` nested `depth` objects deep, as JSON text. */
const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

function rejection(metadata: unknown) {
  const error = thrown(PayrailError, () => parseMetadata(metadata));
  return { errorType: error.errorType, field: error.errorInfo?.field, message: error.message };
}

describe("metadata limits", () => {
  it("refuses 5,000 levels of nesting as a ValidationError on input.metadata, text or parsed", () => {
    const text = nestedText(5000);
    // As text it is over 4 KiB, refused before parsing; parsed (as AppSync hands it), by depth.
    expect(rejection(text)).toMatchObject({ errorType: "ValidationError", field: "input.metadata" });
    expect(rejection(JSON.parse(text))).toEqual({
      errorType: "ValidationError",
      field: "input.metadata",
      message: "input.metadata: must nest at most 10 levels of objects and arrays",
    });
    const arrays = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    expect(rejection(JSON.parse(`{"a":${arrays}}`)).field).toBe("input.metadata");
  });

  it("takes exactly the documented depth and no more", () => {
    expect(parseMetadata(nestedText(METADATA_LIMITS.maxDepth))).toBeTypeOf("object");
    expect(rejection(nestedText(METADATA_LIMITS.maxDepth + 1)).field).toBe("input.metadata");
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses the key %s anywhere", (key) => {
    for (const text of [`{"${key}":{"x":1}}`, `{"ok":[{"${key}":1}]}`]) {
      expect(rejection(text)).toEqual({
        errorType: "ValidationError",
        field: "input.metadata",
        message: "input.metadata: must not use the keys __proto__, constructor or prototype",
      });
      expect(rejection(JSON.parse(text)).errorType).toBe("ValidationError");
    }
  });

  it("takes at most the documented number of keys", () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1]));
    expect(parseMetadata(keys(METADATA_LIMITS.maxKeys))).toBeTypeOf("object");
    expect(rejection(keys(METADATA_LIMITS.maxKeys + 1)).message).toBe(
      "input.metadata: must have at most 200 keys",
    );
  });
});
