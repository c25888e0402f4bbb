// The Kafka topic plan the topic custom resource applies: every topic of
// config/pipeline.yaml and its `.dlq` twin, as core/config lays them out for the local
// broker (one partition per slot of the payment-type ranges, configured retention).
import { allTopics, type PipelineConfig } from "../core/config";

export type TopicSpec = { name: string; partitions: number; config: Record<string, string> };

export function topicPlan(pipeline: PipelineConfig): TopicSpec[] {
  return allTopics(pipeline).map(({ name, partitions, retentionMs }) => ({
    name,
    partitions,
    config: { "retention.ms": String(retentionMs), "cleanup.policy": "delete" },
  }));
}
