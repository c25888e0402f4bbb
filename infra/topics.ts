// The Kafka topic plan derived from config/pipeline.yaml, the same plan the local broker
// gets: every topic has one partition per slot of the payment-type ranges, 30 days of
// retention by default, and a `.dlq` twin with the same layout (a failed record keeps its
// original partition number there).
import type { PipelineConfig } from "./config";
import { dlqTopic } from "./naming";

export type TopicSpec = { name: string; partitions: number; config: Record<string, string> };

export function partitionCount(pipeline: PipelineConfig): number {
  return pipeline.paymentTypes.reduce((sum, { partitions }) => sum + partitions, 0);
}

export function topicPlan(pipeline: PipelineConfig): TopicSpec[] {
  const partitions = partitionCount(pipeline);
  if (partitions < 1) throw new Error("pipeline.yaml: the payment-type ranges add up to zero partitions");
  const config = { "retention.ms": String(pipeline.retentionMs), "cleanup.policy": "delete" };
  return pipeline.topics.flatMap((name) => [
    { name, partitions, config },
    { name: dlqTopic(name), partitions, config },
  ]);
}
