import { ErrorCode } from "../../protocol/errors";
import { fetch } from "../../protocol/requests";
import type {
  FetchPartitionResponse,
  FetchRequest,
  FetchResponse,
} from "../../protocol/requests/fetch/types";
import { type BrokerCore, route } from "../core";

const emptyPartition = (partition: number, errorCode: number): FetchPartitionResponse => ({
  partition,
  errorCode,
  highWatermark: -1n,
  lastStableOffset: -1n,
  logStartOffset: -1n,
  abortedTransactions: [],
  preferredReadReplica: -1,
  records: [],
});

/** One pass over the requested partitions; `bytes` is what the response would carry. */
function readOnce(core: BrokerCore, req: FetchRequest): { res: FetchResponse; bytes: number } {
  let budget = req.maxBytes > 0 ? req.maxBytes : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): FetchPartitionResponse => {
      const log = core.store.partition(t.topic, p.partition);
      if (!log) return emptyPartition(p.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      const hw = log.highWatermark;
      const base = {
        ...emptyPartition(p.partition, ErrorCode.NONE),
        highWatermark: hw,
        // No transactions: everything below the high watermark is stable.
        lastStableOffset: hw,
        logStartOffset: log.logStartOffset,
      };
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > hw) {
        return { ...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
      }
      if (p.fetchOffset === hw || budget <= 0) return base;
      // Kafka always returns at least one batch for the first partition with data, even if
      // larger than the limits, so a big batch can never stall a consumer.
      const limit =
        bytes === 0
          ? Math.max(1, Math.min(p.partitionMaxBytes, budget))
          : Math.min(p.partitionMaxBytes, budget);
      const records = log.read(p.fetchOffset, limit);
      const size = records.reduce((n, b) => n + b.length, 0);
      if (bytes > 0 && size > budget) return base;
      bytes += size;
      budget -= size;
      return { ...base, records };
    }),
  }));
  return { res: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }, bytes };
}

const hasError = (res: FetchResponse) =>
  res.responses.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE));

/**
 * Long poll: answers as soon as `minBytes` are available, an error must be reported, or
 * `maxWaitMs` passes — woken by appends to the partitions asked for.
 */
export async function fetchWithWait(core: BrokerCore, req: FetchRequest): Promise<FetchResponse> {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  const watched = req.topics.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.topic, partition: p.partition })),
  );
  for (;;) {
    const { res, bytes } = readOnce(core, req);
    const wait = deadline - Date.now();
    if (
      req.minBytes <= 0 ||
      bytes >= req.minBytes ||
      hasError(res) ||
      wait <= 0 ||
      core.stopping ||
      watched.length === 0
    ) {
      return res;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        cancel();
        resolve();
      }, wait);
      const cancel = core.notifier.once(watched, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export const fetchRoute = route({
  codec: fetch,
  handle: (req: FetchRequest, { core }) => fetchWithWait(core, req),
});
