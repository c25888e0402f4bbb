// Creates the pipeline's topics (each with its `.dlq` twin, same partitions, retention
// from config) on the broker; topics that exist are left as they are.
import type { Kafka } from "kafkajs";
import { allTopics, type PipelineConfig } from "../../core/config";

export async function ensurePipelineTopics(kafka: Kafka, pipeline: PipelineConfig): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = allTopics(pipeline).filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: 1,
          configEntries: [{ name: "retention.ms", value: String(topic.retentionMs) }],
        })),
      });
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}
