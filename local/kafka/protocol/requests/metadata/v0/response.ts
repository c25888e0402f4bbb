import type { Writer } from "../../../writer";
import type { MetadataPartition, MetadataResponse } from "../types";

const int32 = (w: Writer, v: number) => {
  w.int32(v);
};

/** partition_metadata => error_code partition_index leader_id [replica_nodes] [isr_nodes] */
export const partitionV0 = (w: Writer, p: MetadataPartition) => {
  w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
  w.array(p.replicaNodes, int32).array(p.isrNodes, int32);
};

/**
 * Metadata Response (Version: 0) => [brokers] [topics]
 *   brokers => node_id host port
 *   topics => error_code name [partitions]
 */
export const response = (w: Writer, res: MetadataResponse) => {
  w.array(res.brokers, (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port));
  w.array(res.topics, (w, t) => w.int16(t.errorCode).string(t.name).array(t.partitions, partitionV0));
};

export { int32 };
