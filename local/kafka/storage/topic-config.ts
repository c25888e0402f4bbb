import type { TopicConfig } from "./types";

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_TOPIC_CONFIG: Required<TopicConfig> = {
  retentionMs: 30 * DAY_MS,
  retentionBytes: -1,
  segmentBytes: 64 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
};

/** Kafka's own defaults, overridden by the store's defaults, then by the topic's. */
export function resolveTopicConfig(...layers: (Partial<TopicConfig> | undefined)[]): Required<TopicConfig> {
  const config = { ...DEFAULT_TOPIC_CONFIG };
  for (const layer of layers) {
    for (const key of Object.keys(config) as (keyof Required<TopicConfig>)[]) {
      const value = layer?.[key];
      if (value !== undefined) config[key] = value;
    }
  }
  if (!(config.segmentBytes > 0))
    throw new Error(`segmentBytes must be positive, got ${config.segmentBytes}`);
  return config;
}
