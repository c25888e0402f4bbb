// The one topic planner (core/config/topic-plan.ts) used by the MSK custom resource and the
// local stack: what topics config/pipeline.yaml asks for, and the actions that reach them.
import { describe, expect, it } from "vitest";
import { PAYMENT_TYPES, parsePipelineConfig, topicChanges, topicPlan } from "../../../core/config";

const pipeline = parsePipelineConfig(
  {
    retentionMs: 2_592_000_000,
    partitions: PAYMENT_TYPES.map((paymentType, i) => ({ paymentType, count: i === 0 ? 4 : 1 })),
    topics: [{ name: "payments.initiated" }, { name: "payments.settled", retentionMs: 86_400_000 }],
    consumers: [],
  },
  "pipeline.yaml",
);
const partitions = 4 + PAYMENT_TYPES.length - 1;

describe("topic plan", () => {
  it("gives every topic and its .dlq twin the sum of the ranges and the topic's retention", () => {
    const plan = topicPlan(pipeline);
    expect(plan).toEqual([
      {
        name: "payments.initiated",
        partitions,
        config: { "retention.ms": "2592000000", "cleanup.policy": "delete" },
      },
      {
        name: "payments.initiated.dlq",
        partitions,
        config: { "retention.ms": "2592000000", "cleanup.policy": "delete" },
      },
      {
        name: "payments.settled",
        partitions,
        config: { "retention.ms": "86400000", "cleanup.policy": "delete" },
      },
      {
        name: "payments.settled.dlq",
        partitions,
        config: { "retention.ms": "86400000", "cleanup.policy": "delete" },
      },
    ]);
  });

  it("creates missing topics, grows smaller ones, reconfigures drifted ones and refuses to shrink", () => {
    const plan = topicPlan(pipeline);
    const current = { "retention.ms": "2592000000", "cleanup.policy": "delete" };
    const changes = topicChanges(
      [
        { name: "payments.initiated", partitions, config: current },
        { name: "payments.initiated.dlq", partitions, config: { ...current, "retention.ms": "1000" } },
        {
          name: "payments.settled",
          partitions: 2,
          config: { "retention.ms": "86400000", "cleanup.policy": "delete" },
        },
        { name: "unrelated", partitions: 1, config: {} },
      ],
      plan,
    );
    expect(changes.create.map((t) => t.name)).toEqual(["payments.settled.dlq"]);
    expect(changes.grow).toEqual([{ name: "payments.settled", partitions }]);
    expect(changes.configure.map((t) => t.name)).toEqual(["payments.initiated.dlq"]);
    expect(() =>
      topicChanges([{ name: "payments.settled", partitions: partitions + 1, config: {} }], plan),
    ).toThrow(/cannot shrink/);
  });
});
