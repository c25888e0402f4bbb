export { ConfigError } from "./fields";
export type { PayrailConfig } from "./load";
export { loadConfig, loadPipeline, loadRegions, loadRouting, loadTenants, writeTenantConfig } from "./load";
export type {
  ConsumerConfig,
  PartitionRange,
  PipelineConfig,
  StartingPosition,
  TopicConfig,
} from "./pipeline";
export { allTopics, DEFAULT_RETENTION_MS, dlqTopicOf, parsePipelineConfig } from "./pipeline";
export type { ProcessorsConfig } from "./processors";
export { CARD_BRANDS, parseProcessorsConfig } from "./processors";
export type { RegionConfig } from "./region";
export { PAYMENT_TYPES, parseRegionConfig } from "./region";
export { parseRoutingTable } from "./routing";
export type { Ordering, TenantConfig } from "./tenant";
export { parseTenantConfig } from "./tenant";
export type { ExistingTopic, TopicChanges, TopicSpec } from "./topic-plan";
export { topicChanges, topicPlan } from "./topic-plan";
