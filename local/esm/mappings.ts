// The event source mappings of config/pipeline.yaml, one per function and topic as on
// AWS (a Lambda MSK mapping reads one topic), each with its own consumer group.
import type { PipelineConfig } from "../../core/config";
import type { EventSourceMapping, MskFunction } from "./runner";

/** The consumer group of one function's mapping on one topic. */
export const mappingGroupId = (functionName: string, topic: string) => `payrail-esm-${functionName}-${topic}`;

export function pipelineMappings(
  pipeline: PipelineConfig,
  functions: Readonly<Record<string, MskFunction>>,
): EventSourceMapping[] {
  return pipeline.consumers.flatMap((consumer) => {
    const handler = functions[consumer.name];
    if (!handler) throw new Error(`no handler for consumer ${consumer.name}`);
    return consumer.topics.map((topic) => ({
      functionName: consumer.name,
      groupId: mappingGroupId(consumer.name, topic),
      topics: [topic],
      fromBeginning: consumer.startingPosition === "TRIM_HORIZON",
      handler,
      batchSize: consumer.batchSize,
      batchWindowMs: consumer.batchWindowMs,
      policy: { maxAttempts: consumer.maxRetries + 1 },
    }));
  });
}
