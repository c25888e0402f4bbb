// Custom resource handler (CDK Provider framework): creates and grows the pipeline's
// topics on MSK over IAM/TLS. Deleting the stack keeps the topics: they hold the events.
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { Kafka, logLevel } from "kafkajs";
import { applyTopicPlan } from "../../consumers/platform/apply-topic-plan";
import type { TopicSpec } from "../../core/config";
import { mskIamSasl } from "./msk-iam-token";

type TopicsProperties = { Brokers: string; Topics: string };

const PHYSICAL_ID = "PayrailTopics";

export async function handler(event: CloudFormationCustomResourceEvent) {
  if (event.RequestType === "Delete") return { PhysicalResourceId: PHYSICAL_ID };
  const props = event.ResourceProperties as unknown as TopicsProperties;
  const kafka = new Kafka({
    clientId: "payrail-topics",
    brokers: props.Brokers.split(","),
    ssl: true,
    sasl: mskIamSasl(process.env.AWS_REGION ?? ""),
    logLevel: logLevel.WARN,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const changes = await applyTopicPlan(admin, JSON.parse(props.Topics) as TopicSpec[]);
    return {
      PhysicalResourceId: PHYSICAL_ID,
      Data: {
        Created: changes.create.length,
        Grown: changes.grow.length,
        Reconfigured: changes.configure.length,
      },
    };
  } finally {
    await admin.disconnect();
  }
}
