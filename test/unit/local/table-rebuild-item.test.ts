import { describe, expect, it } from "vitest";
import { decodeItem, encodeItem, type Item } from "../../../local/provisioning/table-rebuild";

describe("a rebuild's backup line", () => {
  it("carries every kind of attribute value back unchanged, binary ones included", () => {
    const item: Item = {
      paymentId: { S: "pay_1" },
      refundsWaiting: { N: "2" },
      sealed: { B: new Uint8Array([0, 1, 254, 255]) },
      keys: { BS: [new Uint8Array([7]), new Uint8Array([])] },
      tags: { SS: ["a", "b"] },
      nested: {
        M: { $base64: { S: "not binary" }, list: { L: [{ B: new Uint8Array([9]) }, { NULL: true }] } },
      },
      flag: { BOOL: false },
    };
    const line = encodeItem(item);
    expect(line).not.toContain("\n");
    expect(decodeItem(line)).toEqual(item);
  });
});
