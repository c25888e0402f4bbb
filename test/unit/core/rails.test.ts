// The sandbox test inputs every processor of a rail answers alike (their behaviour is
// tested in test/unit/processors/sandbox.test.ts): each one is documented.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SANDBOX_CAPTURE_TRIGGERS, SANDBOX_REFUND_TRIGGERS, SANDBOX_TRIGGERS } from "../../../core/rails";

describe("sandbox test inputs", () => {
  it("every sandbox trigger is documented in docs/core.md", () => {
    const docs = readFileSync("docs/core.md", "utf8");
    for (const [rail, triggers] of Object.entries(SANDBOX_TRIGGERS)) {
      for (const trigger of triggers) {
        expect(docs, `${rail}: ${trigger.when}`).toContain(
          `| ${rail} | ${trigger.when} | ${trigger.outcome.status} \`${trigger.outcome.code}\` |`,
        );
      }
    }
    for (const [rail, triggers] of Object.entries(SANDBOX_CAPTURE_TRIGGERS)) {
      for (const trigger of triggers ?? []) {
        expect(docs).toContain(
          `| capture | ${rail} | ${trigger.when} | ${trigger.outcome.status} \`${trigger.outcome.code}\` |`,
        );
      }
    }
    for (const trigger of SANDBOX_REFUND_TRIGGERS) {
      expect(docs).toContain(
        `| refund | every rail | ${trigger.when} | ${trigger.outcome.status} \`${trigger.outcome.code}\` |`,
      );
    }
  });
});
