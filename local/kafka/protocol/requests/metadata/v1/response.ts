import type { Writer } from "../../../writer";
import type { MetadataBroker, MetadataPartition, MetadataResponse, MetadataTopic } from "../types";
import { partitionV0 } from "../v0/response";

/** brokers => node_id host port rack */
export const brokerV1 = (w: Writer, b: MetadataBroker) => {
  w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack);
};

/** topics => error_code name is_internal [partitions] */
export const topicV1 =
  (partition: (w: Writer, p: MetadataPartition) => void = partitionV0) =>
  (w: Writer, t: MetadataTopic) => {
    w.int16(t.errorCode).string(t.name).boolean(t.isInternal).array(t.partitions, partition);
  };

/** Metadata Response (Version: 1) => [brokers] controller_id [topics] */
export const response = (w: Writer, res: MetadataResponse) => {
  w.array(res.brokers, brokerV1).int32(res.controllerId).array(res.topics, topicV1());
};
