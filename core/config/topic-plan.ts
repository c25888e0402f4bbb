// The one topic planner, shared by the CDK custom resource (MSK) and the local stack: the
// planned topics (every topic of config/pipeline.yaml and its `.dlq` twin, one partition per
// slot of the payment-type ranges, configured retention) and, against what a cluster
// describes, the actions that bring it there. Topics are only created, grown and
// reconfigured: Kafka cannot shrink a topic, and deleting one loses events.
import { allTopics, type PipelineConfig } from "./pipeline";

export type TopicSpec = { name: string; partitions: number; config: Record<string, string> };

export type ExistingTopic = { name: string; partitions: number; config: Record<string, string | undefined> };

export type TopicChanges = {
  create: TopicSpec[];
  grow: { name: string; partitions: number }[];
  /** Existing topics whose configuration (e.g. retention) differs from the plan. */
  configure: TopicSpec[];
};

export function topicPlan(pipeline: PipelineConfig): TopicSpec[] {
  return allTopics(pipeline).map(({ name, partitions, retentionMs }) => ({
    name,
    partitions,
    config: { "retention.ms": String(retentionMs), "cleanup.policy": "delete" },
  }));
}

export function topicChanges(existing: ExistingTopic[], plan: TopicSpec[]): TopicChanges {
  const byName = new Map(existing.map((t) => [t.name, t]));
  const changes: TopicChanges = { create: [], grow: [], configure: [] };
  for (const spec of plan) {
    const current = byName.get(spec.name);
    if (!current) {
      changes.create.push(spec);
      continue;
    }
    if (current.partitions > spec.partitions) {
      throw new Error(
        `topic ${spec.name} has ${current.partitions} partitions, the plan ${spec.partitions}: Kafka cannot shrink a topic`,
      );
    }
    if (current.partitions < spec.partitions)
      changes.grow.push({ name: spec.name, partitions: spec.partitions });
    if (Object.entries(spec.config).some(([key, value]) => current.config[key] !== value)) {
      changes.configure.push(spec);
    }
  }
  return changes;
}
