// The load generator's cards (test/e2e/cards.ts): a payment of the benches and fault tests
// must settle at the sandboxes' usual pace, or one card skews every payment behind it.
import { describe, expect, it } from "vitest";
import { loadPayment, settlesPromptly } from "../../e2e/cards";

describe("load cards", () => {
  it("refuses the cards a card processor holds past the call timeout (slowCards)", () => {
    expect(settlesPromptly("4000000000000077")).toBe(false);
    expect(settlesPromptly("4242424242424242")).toBe(true);
  });

  it("refuses the sandbox's declining test cards", () => {
    expect(settlesPromptly("4000000000000002")).toBe(false);
  });

  it("hands out only cards that settle promptly", () => {
    for (let i = 0; i < 2_000; i++) expect(settlesPromptly(loadPayment().payer.card.number)).toBe(true);
  });
});
