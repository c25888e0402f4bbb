import { ErrorCode } from "../../protocol/errors";
import { offsetCommit, offsetFetch } from "../../protocol/requests";
import type { OffsetCommitRequest } from "../../protocol/requests/offset-commit/types";
import type { OffsetFetchRequest } from "../../protocol/requests/offset-fetch/types";
import type { BrokerCore } from "../core";
import { route } from "../core";

export const offsetCommitRoute = route({
  codec: offsetCommit,
  handle: async (req: OffsetCommitRequest, { core }) => {
    const known = req.topics.flatMap((t) =>
      t.partitions
        .filter((p) => core.store.partition(t.name, p.partitionIndex))
        .map((p) => ({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata,
        })),
    );
    const errorCode = await core.groups.commit(req.groupId, req.generationId, req.memberId, known);
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          errorCode: core.store.partition(t.name, p.partitionIndex)
            ? errorCode
            : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        })),
      })),
    };
  },
});

/** Every partition of every topic the group has committed (OffsetFetch with null topics). */
function committedTopics(core: BrokerCore, groupId: string): { name: string; partitionIndexes: number[] }[] {
  return core.store
    .topics()
    .map((t) => ({
      name: t.name,
      partitionIndexes: Array.from({ length: t.partitions }, (_, p) => p).filter((p) =>
        core.store.offsets.fetch(groupId, t.name, p),
      ),
    }))
    .filter((t) => t.partitionIndexes.length > 0);
}

export const offsetFetchRoute = route({
  codec: offsetFetch,
  handle: (req: OffsetFetchRequest, { core }) => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    topics: (req.topics ?? committedTopics(core, req.groupId)).map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const committed = core.store.offsets.fetch(req.groupId, t.name, partitionIndex);
        return {
          partitionIndex,
          committedOffset: committed?.offset ?? -1n,
          metadata: committed?.metadata ?? "",
          errorCode: ErrorCode.NONE,
        };
      }),
    })),
  }),
});
