// Applies a topic plan through a Kafka admin client: reads what exists (partitions and
// the planned config keys), then creates, grows and reconfigures only what differs, so a
// re-run against an up-to-date cluster changes nothing.
import kafkajs, { type Admin } from "kafkajs";
import { type ExistingTopic, type TopicChanges, type TopicSpec, topicChanges } from "../../core/config";

// kafkajs is CommonJS and Node's ESM loader does not see this export by name.
const { ConfigResourceTypes } = kafkajs;

const entries = (config: Record<string, string>) =>
  Object.entries(config).map(([name, value]) => ({ name, value }));

async function existingTopics(admin: Admin, plan: TopicSpec[]): Promise<ExistingTopic[]> {
  const listed = new Set(await admin.listTopics());
  const planned = plan.filter((t) => listed.has(t.name));
  if (planned.length === 0) return [];
  const metadata = await admin.fetchTopicMetadata({ topics: planned.map((t) => t.name) });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: planned.map((t) => ({
      type: ConfigResourceTypes.TOPIC,
      name: t.name,
      configNames: Object.keys(t.config),
    })),
  });
  return metadata.topics.map((topic) => {
    const described = configs.resources.find((r) => r.resourceName === topic.name);
    return {
      name: topic.name,
      partitions: topic.partitions.length,
      config: Object.fromEntries((described?.configEntries ?? []).map((c) => [c.configName, c.configValue])),
    };
  });
}

export async function applyTopicPlan(admin: Admin, plan: TopicSpec[]): Promise<TopicChanges> {
  const changes = topicChanges(await existingTopics(admin, plan), plan);
  if (changes.create.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: changes.create.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        configEntries: entries(t.config),
      })),
    });
  }
  if (changes.grow.length > 0) {
    await admin.createPartitions({
      topicPartitions: changes.grow.map((t) => ({ topic: t.name, count: t.partitions })),
    });
  }
  if (changes.configure.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: changes.configure.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configEntries: entries(t.config),
      })),
    });
  }
  return changes;
}
