import { ErrorCode } from "../../protocol/errors";
import { InvalidBatchError, splitBatches } from "../../protocol/produced-batches";
import { produce } from "../../protocol/requests";
import type { ProducePartitionResponse, ProduceRequest } from "../../protocol/requests/produce/types";
import { type BrokerCore, route } from "../core";

const failed = (index: number, errorCode: number): ProducePartitionResponse => ({
  index,
  errorCode,
  baseOffset: -1n,
  logAppendTimeMs: -1n,
  logStartOffset: -1n,
});

/**
 * Checks sequences and issues every append synchronously, in batch order; only the wait for
 * durability is asynchronous. Returns the partition's answer once its batches are durable.
 */
function appendPartition(
  core: BrokerCore,
  topic: string,
  index: number,
  records: Buffer | Buffer[] | null,
): Promise<ProducePartitionResponse> {
  const log = core.store.partition(topic, index);
  if (!log) return Promise.resolve(failed(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  let batches: ReturnType<typeof splitBatches>;
  try {
    batches = splitBatches(records ?? Buffer.alloc(0));
  } catch (err) {
    if (err instanceof InvalidBatchError) return Promise.resolve(failed(index, err.code));
    throw err;
  }
  if (batches.length === 0) return Promise.resolve(failed(index, ErrorCode.CORRUPT_MESSAGE));
  const offsets: Promise<bigint>[] = [];
  for (const { batch, header } of batches) {
    const verdict = core.producers.check(topic, index, header);
    if (verdict.kind === "reject") return Promise.resolve(failed(index, verdict.errorCode));
    if (verdict.kind === "duplicate") {
      offsets.push(verdict.baseOffset);
      continue;
    }
    // splitBatches verified the CRC and read the header; storage checks only the structure.
    const offset = log.append(batch, { crcVerified: true, header });
    core.producers.record(topic, index, header, offset);
    offsets.push(offset);
  }
  return Promise.all(offsets).then(
    ([baseOffset]) => {
      core.notifier.appended(topic, index);
      return {
        index,
        errorCode: ErrorCode.NONE,
        baseOffset,
        logAppendTimeMs: -1n,
        logStartOffset: log.logStartOffset,
      };
    },
    (err: unknown) => {
      core.logger.error("append failed", { topic, partition: index, error: String(err) });
      return failed(index, ErrorCode.UNKNOWN_SERVER_ERROR);
    },
  );
}

export const produceRoute = route({
  codec: produce,
  pipelined: true,
  silent: (req: ProduceRequest) => req.acks === 0,
  handle: async (req: ProduceRequest, { core }) => {
    const rejectAll = (errorCode: number) => ({
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => failed(p.index, errorCode)),
      })),
    });
    if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1)
      return rejectAll(ErrorCode.INVALID_REQUIRED_ACKS);
    // No transaction coordinator here: transactional producers are refused, idempotent ones are not.
    if (req.transactionalId !== null) return rejectAll(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    const pending = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => appendPartition(core, t.name, p.index, p.records)),
    }));
    const topics = await Promise.all(
      pending.map(async (t) => ({ name: t.name, partitions: await Promise.all(t.partitions) })),
    );
    return { throttleTimeMs: 0, topics };
  },
});
