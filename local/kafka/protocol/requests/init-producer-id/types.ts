export type InitProducerIdRequest = { transactionalId: string | null; transactionTimeoutMs: number };
export type InitProducerIdResponse = {
  throttleTimeMs: number;
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
};
