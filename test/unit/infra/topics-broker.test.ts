// The topic custom resource's logic against the local Kafka-protocol broker (a real
// server on an ephemeral port; fast enough to live with the unit tests): the plan
// from config/pipeline.yaml is created once, and a second run changes nothing.
import { join } from "node:path";
import { type Admin, ConfigResourceTypes } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyTopicPlan } from "../../../consumers/platform/apply-topic-plan";
import { loadPipeline, type TopicSpec, topicPlan } from "../../../core/config";
import type { Broker } from "../../../local/kafka/broker";
import { kafkaFor, testBroker } from "../../integration/kafka/helpers";
import { REPO_ROOT } from "./synth";

let broker: Broker;
let admin: Admin;
let plan: TopicSpec[];

beforeAll(async () => {
  plan = topicPlan(await loadPipeline(join(REPO_ROOT, "config")));
  broker = await testBroker({ port: 0, memory: true });
  admin = kafkaFor(broker.port).admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await broker?.stop();
});

describe("topic plan on a Kafka broker", () => {
  it("creates every topic and .dlq twin with the planned partitions and retention", async () => {
    const changes = await applyTopicPlan(admin, plan);
    expect(changes.create.map((t) => t.name).sort()).toEqual(plan.map((t) => t.name).sort());

    const metadata = await admin.fetchTopicMetadata({ topics: plan.map((t) => t.name) });
    for (const spec of plan) {
      expect(metadata.topics.find((t) => t.name === spec.name)?.partitions.length, spec.name).toBe(
        spec.partitions,
      );
    }
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: plan[0].name, configNames: ["retention.ms"] }],
    });
    expect(resources[0].configEntries[0]?.configValue).toBe(plan[0].config["retention.ms"]);
  });

  it("changes nothing when run again", async () => {
    const changes = await applyTopicPlan(admin, plan);
    expect(changes).toEqual({ create: [], grow: [], configure: [] });
  });
});
