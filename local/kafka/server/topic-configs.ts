import type { TopicConfig } from "../storage/types";

/** Kafka topic config names this broker stores, mapped to the storage's fields. */
const STORED: Record<string, keyof TopicConfig> = {
  "retention.ms": "retentionMs",
  "retention.bytes": "retentionBytes",
  "segment.bytes": "segmentBytes",
};

/** Read-only configs reported so clients see how this broker behaves. */
const FIXED: Record<string, string> = {
  "cleanup.policy": "delete",
  "compression.type": "producer",
  "message.timestamp.type": "CreateTime",
  "min.insync.replicas": "1",
};

export class InvalidConfigError extends Error {
  override name = "InvalidConfigError";
}

/**
 * CreateTopics configs → TopicConfig overrides. Unknown names are accepted and ignored (MSK
 * configs such as min.insync.replicas must not break local topic creation); stored ones must
 * be integers.
 */
export function parseTopicConfigs(configs: { name: string; value: string | null }[]): Partial<TopicConfig> {
  const out: Partial<TopicConfig> = {};
  for (const { name, value } of configs) {
    const field = STORED[name];
    if (!field || value === null) continue;
    if (!/^-?\d+$/.test(value)) throw new InvalidConfigError(`${name} must be an integer, got ${value}`);
    out[field] = Number(value);
  }
  return out;
}

export function describeTopicConfig(
  config: TopicConfig,
): { name: string; value: string; readOnly: boolean }[] {
  return [
    ...Object.entries(STORED).map(([name, field]) => ({
      name,
      value: String(config[field]),
      readOnly: false,
    })),
    ...Object.entries(FIXED).map(([name, value]) => ({ name, value, readOnly: true })),
  ];
}
