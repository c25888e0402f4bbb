import { ErrorCode } from "../../protocol/errors";
import { listOffsets } from "../../protocol/requests";
import type { ListOffsetsRequest } from "../../protocol/requests/list-offsets/types";
import { route } from "../core";

const LATEST = -1n;
const EARLIEST = -2n;

export const listOffsetsRoute = route({
  codec: listOffsets,
  handle: (req: ListOffsetsRequest, { core }) => ({
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map(({ partitionIndex, timestamp }) => {
        const log = core.store.partition(t.name, partitionIndex);
        if (!log) {
          return {
            partitionIndex,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            timestamp: -1n,
            offset: -1n,
          };
        }
        const offset =
          timestamp === LATEST
            ? log.highWatermark
            : timestamp === EARLIEST
              ? log.logStartOffset
              : (log.offsetForTimestamp(timestamp) ?? -1n);
        return { partitionIndex, errorCode: ErrorCode.NONE, timestamp: -1n, offset };
      }),
    })),
  }),
});
