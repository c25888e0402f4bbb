import type { Writer } from "../../../writer";
import type { MetadataResponse } from "../types";
import { brokerV1, topicV1 } from "../v1/response";

/** Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics] */
export const response = (w: Writer, res: MetadataResponse) => {
  w.array(res.brokers, brokerV1).nullableString(res.clusterId).int32(res.controllerId);
  w.array(res.topics, topicV1());
};
