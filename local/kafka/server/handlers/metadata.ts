import { ErrorCode } from "../../protocol/errors";
import { metadata } from "../../protocol/requests";
import type { MetadataRequest, MetadataTopic } from "../../protocol/requests/metadata/types";
import type { TopicMeta } from "../../storage/types";
import { type BrokerCore, isValidTopicName, route } from "../core";

function describeTopic(core: BrokerCore, meta: TopicMeta): MetadataTopic {
  const node = [core.nodeId];
  return {
    errorCode: ErrorCode.NONE,
    name: meta.name,
    isInternal: false,
    partitions: Array.from({ length: meta.partitions }, (_, p) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: p,
      leaderId: core.nodeId,
      replicaNodes: node,
      isrNodes: node,
      offlineReplicas: [],
    })),
  };
}

const missing = (name: string, errorCode: number): MetadataTopic => ({
  errorCode,
  name,
  isInternal: false,
  partitions: [],
});

async function topicFor(core: BrokerCore, name: string, autoCreate: boolean): Promise<MetadataTopic> {
  if (!isValidTopicName(name)) return missing(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
  const meta = core.store.topic(name);
  if (meta) return describeTopic(core, meta);
  if (!autoCreate) return missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    const created = await core.store.createTopic(name, core.defaultPartitions);
    core.logger.info("topic auto-created", { topic: name, partitions: created.partitions });
    return describeTopic(core, created);
  } catch {
    // Created concurrently by another request.
    const meta = core.store.topic(name);
    return meta ? describeTopic(core, meta) : missing(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  }
}

export const metadataRoute = route({
  codec: metadata,
  handle: async (req: MetadataRequest, { core, listener }) => {
    const autoCreate = core.autoCreateTopics && req.allowAutoTopicCreation;
    const topics =
      req.topics === null
        ? core.store.topics().map((meta) => describeTopic(core, meta))
        : await Promise.all(req.topics.map((name) => topicFor(core, name, autoCreate)));
    return {
      throttleTimeMs: 0,
      // Each listener (plaintext, TLS) announces itself, so clients stay on the one they chose.
      brokers: [{ nodeId: core.nodeId, host: listener.host, port: listener.port, rack: null }],
      clusterId: core.clusterId,
      // Admin clients send topic changes to the controller, which must be this broker.
      controllerId: core.nodeId,
      topics,
    };
  },
});
