import type { Writer } from "../../../writer";
import type { MetadataPartition, MetadataResponse } from "../types";
import { int32, partitionV0 } from "../v0/response";
import { brokerV1, topicV1 } from "../v1/response";

/** partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas] */
const partitionV5 = (w: Writer, p: MetadataPartition) => {
  partitionV0(w, p);
  w.array(p.offlineReplicas, int32);
};

/** Metadata Response (Version: 5..6) => throttle_time_ms [brokers] cluster_id controller_id [topics] */
export const response = (w: Writer, res: MetadataResponse) => {
  w.int32(res.throttleTimeMs).array(res.brokers, brokerV1);
  w.nullableString(res.clusterId).int32(res.controllerId).array(res.topics, topicV1(partitionV5));
};
