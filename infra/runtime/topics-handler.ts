// Custom resource handler (CDK Provider framework): creates and grows the pipeline's
// topics on MSK over IAM/TLS. Deleting the stack keeps the topics: they hold the events.
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { ConfigResourceTypes, Kafka, logLevel } from "kafkajs";
import type { TopicSpec } from "../topics";
import { credentialsFromEnv, mskIamToken } from "./msk-iam-token";
import { topicChanges } from "./topic-changes";

type TopicsProperties = { Brokers: string; Topics: string };

export async function handler(event: CloudFormationCustomResourceEvent) {
  const physicalId = "PayrailTopics";
  if (event.RequestType === "Delete") return { PhysicalResourceId: physicalId };
  const props = event.ResourceProperties as unknown as TopicsProperties;
  const plan = JSON.parse(props.Topics) as TopicSpec[];
  const region = process.env.AWS_REGION ?? "";
  const kafka = new Kafka({
    clientId: "payrail-topics",
    brokers: props.Brokers.split(","),
    ssl: true,
    sasl: { mechanism: "oauthbearer", oauthBearerProvider: () => mskIamToken(region, credentialsFromEnv()) },
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: [] });
    const existing = metadata.topics.map((t) => ({ name: t.name, partitions: t.partitions.length }));
    const changes = topicChanges(existing, plan);
    if (changes.create.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: changes.create.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
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
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    return {
      PhysicalResourceId: physicalId,
      Data: { Created: changes.create.length, Grown: changes.grow.length },
    };
  } finally {
    await admin.disconnect();
  }
}
