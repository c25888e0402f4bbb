// Brings the local broker's topics to the plan of config/pipeline.yaml with the same planner
// and admin calls the CDK custom resource uses on MSK (core/config/topic-plan.ts), so a
// changed partition count or retention is applied here too instead of drifting.
import type { Kafka } from "kafkajs";
import { applyTopicPlan } from "../../consumers/platform/apply-topic-plan";
import { type PipelineConfig, type TopicChanges, topicPlan } from "../../core/config";

export async function ensurePipelineTopics(kafka: Kafka, pipeline: PipelineConfig): Promise<TopicChanges> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await applyTopicPlan(admin, topicPlan(pipeline));
  } finally {
    await admin.disconnect();
  }
}
