import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPipeline } from "../../../infra/config";
import { topicChanges } from "../../../infra/runtime/topic-changes";
import { partitionCount, topicPlan } from "../../../infra/topics";

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "payrail-infra-config-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pipelineFile(name: string, yaml: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, yaml);
  return file;
}

describe("pipeline config", () => {
  it("reads partition ranges in config order, consumers with defaults, and topics consumers need", async () => {
    const file = await pipelineFile(
      "list.yaml",
      [
        "paymentTypes:",
        "  - { type: CARD, partitions: 4 }",
        "  - { type: ACH, partitions: 2 }",
        "topics: [payments.initiated]",
        "consumers:",
        "  - { name: risk, topics: [payments.initiated], batchSize: 50, reservedConcurrency: 3 }",
        "  - { name: status, topics: [payments.initiated, payments.settled], startingPosition: LATEST }",
      ].join("\n"),
    );
    const pipeline = loadPipeline(file);
    expect(pipeline.paymentTypes).toEqual([
      { type: "CARD", partitions: 4 },
      { type: "ACH", partitions: 2 },
    ]);
    expect(pipeline.retentionMs).toBe(30 * 86_400_000);
    expect(pipeline.topics).toEqual(["payments.initiated", "payments.settled"]);
    expect(pipeline.consumers[0]).toMatchObject({
      name: "risk",
      handler: "consumers/risk/handler.ts",
      batchSize: 50,
      reservedConcurrency: 3,
      startingPosition: "TRIM_HORIZON",
    });
    expect(pipeline.consumers[1].startingPosition).toBe("LATEST");
  });

  it("accepts partition ranges as a mapping and retention in days", async () => {
    const file = await pipelineFile(
      "map.yaml",
      "retentionDays: 7\npaymentTypes: { SEPA_CREDIT: 3, PIX: { partitions: 1 } }\nconsumers: []\n",
    );
    const pipeline = loadPipeline(file);
    expect(pipeline.paymentTypes).toEqual([
      { type: "SEPA_CREDIT", partitions: 3 },
      { type: "PIX", partitions: 1 },
    ]);
    expect(pipeline.retentionMs).toBe(7 * 86_400_000);
  });

  it("names the file and field of a malformed entry", async () => {
    const file = await pipelineFile(
      "bad.yaml",
      "paymentTypes: { CARD: 2 }\nconsumers:\n  - { name: risk, topics: [payments.initiated], batchSize: -1 }\n",
    );
    expect(() => loadPipeline(file)).toThrow(
      `${file}: consumers[0].batchSize must be a non-negative integer`,
    );
  });
});

describe("topic plan", () => {
  const pipeline = {
    retentionMs: 2_592_000_000,
    paymentTypes: [
      { type: "CARD", partitions: 4 },
      { type: "ACH", partitions: 2 },
    ],
    topics: ["payments.initiated", "payments.settled"],
    consumers: [],
  };

  it("gives every topic and its .dlq twin the sum of the ranges and the configured retention", () => {
    expect(partitionCount(pipeline)).toBe(6);
    const plan = topicPlan(pipeline);
    expect(plan.map((t) => t.name)).toEqual([
      "payments.initiated",
      "payments.initiated.dlq",
      "payments.settled",
      "payments.settled.dlq",
    ]);
    for (const topic of plan) {
      expect(topic.partitions).toBe(6);
      expect(topic.config["retention.ms"]).toBe("2592000000");
    }
  });

  it("creates missing topics, grows smaller ones and refuses to shrink", () => {
    const plan = topicPlan(pipeline);
    const changes = topicChanges(
      [
        { name: "payments.initiated", partitions: 6 },
        { name: "payments.settled", partitions: 4 },
      ],
      plan,
    );
    expect(changes.create.map((t) => t.name)).toEqual(["payments.initiated.dlq", "payments.settled.dlq"]);
    expect(changes.grow).toEqual([{ name: "payments.settled", partitions: 6 }]);
    expect(changes.configure.map((t) => t.name)).toEqual(["payments.initiated", "payments.settled"]);
    expect(() => topicChanges([{ name: "payments.settled", partitions: 8 }], plan)).toThrow(/cannot shrink/);
  });
});
