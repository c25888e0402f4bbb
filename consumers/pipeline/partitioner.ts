// kafkajs partitioner for the pipeline layout: each payment type owns a contiguous range
// of partitions and the record key (tenant, or tenant/payment) is hashed inside it (the mapping itself is core's).
import type { ICustomPartitioner } from "kafkajs";
import { HEADER } from "./headers";

export type PartitionFor = (paymentType: string, key: string) => number;

export function pipelinePartitioner(partitionFor: PartitionFor): ICustomPartitioner {
  return () =>
    ({ topic, message }) => {
      // An explicit partition wins: the DLQ keeps a record on its original partition number.
      if (message.partition != null) return message.partition;
      const paymentType = message.headers?.[HEADER.paymentType]?.toString();
      if (!paymentType || message.key == null) {
        throw new Error(`record for ${topic} lacks a ${HEADER.paymentType} header or record key`);
      }
      return partitionFor(paymentType, message.key.toString());
    };
}
