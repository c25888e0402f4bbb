import { ErrorCode } from "../../protocol/errors";
import {
  alterConfigs,
  createPartitions,
  createTopics,
  deleteTopics,
  describeConfigs,
  initProducerId,
} from "../../protocol/requests";
import type { AlterConfigsRequest } from "../../protocol/requests/alter-configs/types";
import type { CreatePartitionsRequest } from "../../protocol/requests/create-partitions/types";
import type { CreateTopicsRequest } from "../../protocol/requests/create-topics/types";
import type { DeleteTopicsRequest } from "../../protocol/requests/delete-topics/types";
import type { DescribeConfigsRequest } from "../../protocol/requests/describe-configs/types";
import type { InitProducerIdRequest } from "../../protocol/requests/init-producer-id/types";
import { type BrokerCore, isValidTopicName, route } from "../core";
import { describeTopicConfig, InvalidConfigError, parseTopicConfigs } from "../topic-configs";

type TopicSpec = CreateTopicsRequest["topics"][number];

async function createOne(core: BrokerCore, spec: TopicSpec, validateOnly: boolean) {
  const result = (errorCode: number, errorMessage: string | null = null) => ({
    name: spec.name,
    errorCode,
    errorMessage,
  });
  if (!isValidTopicName(spec.name)) return result(ErrorCode.INVALID_TOPIC_EXCEPTION, "invalid topic name");
  if (core.store.topic(spec.name)) return result(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${spec.name} exists`);
  const partitions =
    spec.assignments.length > 0
      ? spec.assignments.length
      : spec.numPartitions === -1
        ? core.defaultPartitions
        : spec.numPartitions;
  if (partitions < 1) return result(ErrorCode.INVALID_PARTITIONS, "partitions must be at least 1");
  // Replication factors are accepted as asked (MSK topics ask for 3) and recorded as 1: one broker.
  let config: ReturnType<typeof parseTopicConfigs>;
  try {
    config = parseTopicConfigs(spec.configs);
  } catch (err) {
    if (err instanceof InvalidConfigError) return result(ErrorCode.INVALID_CONFIG, err.message);
    throw err;
  }
  if (validateOnly) return result(ErrorCode.NONE);
  try {
    await core.store.createTopic(spec.name, partitions, config);
  } catch (err) {
    if (core.store.topic(spec.name))
      return result(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${spec.name} exists`);
    return result(ErrorCode.INVALID_CONFIG, err instanceof Error ? err.message : String(err));
  }
  core.logger.info("topic created", { topic: spec.name, partitions });
  return result(ErrorCode.NONE);
}

export const createTopicsRoute = route({
  codec: createTopics,
  handle: async (req: CreateTopicsRequest, { core }) => ({
    throttleTimeMs: 0,
    topics: await Promise.all(req.topics.map((t) => createOne(core, t, req.validateOnly))),
  }),
});

export const deleteTopicsRoute = route({
  codec: deleteTopics,
  handle: async (req: DeleteTopicsRequest, { core }) => ({
    throttleTimeMs: 0,
    responses: await Promise.all(
      req.topicNames.map(async (name) => {
        if (!core.store.topic(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        await core.store.deleteTopic(name);
        core.producers.dropTopic(name);
        core.logger.info("topic deleted", { topic: name });
        return { name, errorCode: ErrorCode.NONE };
      }),
    ),
  }),
});

export const createPartitionsRoute = route({
  codec: createPartitions,
  handle: async (req: CreatePartitionsRequest, { core }) => ({
    throttleTimeMs: 0,
    results: await Promise.all(
      req.topics.map(async ({ name, count }) => {
        const result = (errorCode: number, errorMessage: string | null = null) => ({
          name,
          errorCode,
          errorMessage,
        });
        const topic = core.store.topic(name);
        if (!topic) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic ${name}`);
        if (count <= topic.partitions) {
          const message = `topic ${name} has ${topic.partitions} partitions; a topic can only grow`;
          return result(ErrorCode.INVALID_PARTITIONS, message);
        }
        if (req.validateOnly) return result(ErrorCode.NONE);
        const from = topic.partitions;
        await core.store.addPartitions(name, count);
        core.logger.info("partitions added", { topic: name, from, to: count });
        return result(ErrorCode.NONE);
      }),
    ),
  }),
});

/** AlterConfigs replaces a topic's whole config (what it leaves out takes the defaults). */
export const alterConfigsRoute = route({
  codec: alterConfigs,
  handle: async (req: AlterConfigsRequest, { core }) => ({
    throttleTimeMs: 0,
    responses: await Promise.all(
      req.resources.map(async ({ resourceType, resourceName, configs }) => {
        const result = (errorCode: number, errorMessage: string | null = null) => ({
          errorCode,
          errorMessage,
          resourceType,
          resourceName,
        });
        if (resourceType !== TOPIC_RESOURCE)
          return result(ErrorCode.INVALID_REQUEST, "only topic configs can be altered here");
        if (!core.store.topic(resourceName))
          return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic ${resourceName}`);
        let config: ReturnType<typeof parseTopicConfigs>;
        try {
          config = parseTopicConfigs(configs);
        } catch (err) {
          if (err instanceof InvalidConfigError) return result(ErrorCode.INVALID_CONFIG, err.message);
          throw err;
        }
        if (req.validateOnly) return result(ErrorCode.NONE);
        await core.store.setTopicConfig(resourceName, config);
        core.logger.info("topic config altered", { topic: resourceName, config });
        return result(ErrorCode.NONE);
      }),
    ),
  }),
});

const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;
const DEFAULT_CONFIG_SOURCE = 5;
const TOPIC_CONFIG_SOURCE = 1;

export const describeConfigsRoute = route({
  codec: describeConfigs,
  handle: (req: DescribeConfigsRequest, { core }) => ({
    throttleTimeMs: 0,
    results: req.resources.map((r) => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName, errorMessage: null };
      const wanted = (name: string) => r.configurationKeys === null || r.configurationKeys.includes(name);
      if (r.resourceType === BROKER_RESOURCE) {
        return { ...base, errorCode: ErrorCode.NONE, configs: [] };
      }
      const meta = r.resourceType === TOPIC_RESOURCE ? core.store.topic(r.resourceName) : undefined;
      if (!meta) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, configs: [] };
      return {
        ...base,
        errorCode: ErrorCode.NONE,
        configs: describeTopicConfig(meta.config)
          .filter((c) => wanted(c.name))
          .map((c) => ({
            ...c,
            isDefault: c.readOnly,
            configSource: c.readOnly ? DEFAULT_CONFIG_SOURCE : TOPIC_CONFIG_SOURCE,
            isSensitive: false,
          })),
      };
    }),
  }),
});

export const initProducerIdRoute = route({
  codec: initProducerId,
  handle: (req: InitProducerIdRequest, { core }) => {
    // Idempotent producers only: there is no transaction coordinator.
    if (req.transactionalId !== null) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        producerId: -1n,
        producerEpoch: -1,
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId: core.producerIds.next(),
      producerEpoch: 0,
    };
  },
});
