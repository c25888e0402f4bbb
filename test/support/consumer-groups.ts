// Waits until the pipeline is idle: every event source mapping's consumer group has
// committed the log end of its topic. The runner commits only after a batch is handled
// (and a handler produces before its batch is committed), so this is the event that
// proves every record so far — and all it caused — has been processed.

import type { Kafka } from "kafkajs";
import { vi } from "vitest";
import type { PipelineConfig } from "../../core/config";
import { mappingGroupId } from "../../local/esm/mappings";

/** The (group, topic) pair of every event source mapping of config/pipeline.yaml. */
export const pipelineGroups = (pipeline: PipelineConfig) =>
  pipeline.consumers.flatMap((c) =>
    c.topics.map((topic) => ({ groupId: mappingGroupId(c.name, topic), topic })),
  );

export async function waitForCommittedOffsets(
  kafka: Kafka,
  groups: { groupId: string; topic: string }[],
  timeoutMs = 20_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = [...new Set(groups.map((g) => g.topic))];
  const ends = async () =>
    new Map(
      await Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
    );
  try {
    await vi.waitFor(
      async () => {
        const before = await ends();
        const behind: string[] = [];
        for (const { groupId, topic } of groups) {
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          for (const { partition, high } of before.get(topic) ?? []) {
            const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? "-1";
            // A partition never written to has nothing to commit.
            if (BigInt(high) > 0n && offset !== high)
              behind.push(`${groupId} ${topic}/${partition} at ${offset} of ${high}`);
          }
        }
        // Nothing appended while we looked: no handler was still producing.
        const after = await ends();
        const moved = topics.filter((t) => JSON.stringify(after.get(t)) !== JSON.stringify(before.get(t)));
        if (behind.length > 0 || moved.length > 0)
          throw new Error(`pipeline not idle: ${[...behind, ...moved.map((t) => `${t} grew`)].join(", ")}`);
      },
      { timeout: timeoutMs, interval: 100 },
    );
  } finally {
    await admin.disconnect();
  }
}
