import type { Logger } from "../logger";
import { ErrorCode } from "../protocol/errors";
import type { DescribedGroup } from "../protocol/requests/describe-groups/types";
import type { JoinGroupRequest, JoinGroupResponse } from "../protocol/requests/join-group/types";
import type { SyncGroupRequest, SyncGroupResponse } from "../protocol/requests/sync-group/types";
import type { OffsetStore } from "../storage/types";
import { Group } from "./group";

export type CoordinatorOptions = {
  offsets: OffsetStore;
  logger: Logger;
  /** Kafka's group.initial.rebalance.delay.ms (3 s there; short here, for tests). */
  initialRebalanceDelayMs?: number;
};

/** The group coordinator of this single broker: every group, plus committed offsets. */
export class GroupCoordinator {
  private readonly groups = new Map<string, Group>();
  private closed = false;

  constructor(private readonly opts: CoordinatorOptions) {}

  private group(groupId: string): Group {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new Group(groupId, {
        initialRebalanceDelayMs: this.opts.initialRebalanceDelayMs ?? 100,
        logger: this.opts.logger,
      });
      this.groups.set(groupId, group);
    }
    return group;
  }

  async join(req: JoinGroupRequest, clientId: string, clientHost: string): Promise<JoinGroupResponse> {
    const base = {
      throttleTimeMs: 0,
      generationId: -1,
      protocolName: "",
      leader: "",
      memberId: "",
      members: [],
    };
    if (this.closed) return { ...base, errorCode: ErrorCode.NOT_COORDINATOR };
    if (req.groupId === "") return { ...base, errorCode: ErrorCode.INVALID_GROUP_ID };
    if (req.sessionTimeoutMs < 1000 || req.sessionTimeoutMs > 600_000) {
      return { ...base, errorCode: ErrorCode.INVALID_SESSION_TIMEOUT };
    }
    return this.group(req.groupId).join(req, clientId, clientHost);
  }

  sync(req: SyncGroupRequest): Promise<SyncGroupResponse> {
    const group = this.groups.get(req.groupId);
    if (this.closed || !group) {
      const errorCode = this.closed ? ErrorCode.NOT_COORDINATOR : ErrorCode.UNKNOWN_MEMBER_ID;
      return Promise.resolve({ throttleTimeMs: 0, errorCode, assignment: Buffer.alloc(0) });
    }
    return group.sync(req.generationId, req.memberId, req.assignments);
  }

  heartbeat(groupId: string, generationId: number, memberId: string): number {
    if (this.closed) return ErrorCode.NOT_COORDINATOR;
    return this.groups.get(groupId)?.heartbeat(generationId, memberId) ?? ErrorCode.UNKNOWN_MEMBER_ID;
  }

  leave(groupId: string, memberId: string): number {
    if (this.closed) return ErrorCode.NOT_COORDINATOR;
    return this.groups.get(groupId)?.leave(memberId) ?? ErrorCode.UNKNOWN_MEMBER_ID;
  }

  async commit(
    groupId: string,
    generationId: number,
    memberId: string,
    offsets: { topic: string; partition: number; offset: bigint; metadata: string | null }[],
  ): Promise<number> {
    if (this.closed) return ErrorCode.NOT_COORDINATOR;
    const check = this.groups.get(groupId)?.commitCheck(generationId, memberId);
    const errorCode = check ?? (generationId < 0 ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID);
    if (errorCode !== ErrorCode.NONE) return errorCode;
    await Promise.all(
      offsets.map((o) => this.opts.offsets.commit(groupId, o.topic, o.partition, o.offset, o.metadata)),
    );
    return ErrorCode.NONE;
  }

  describe(groupId: string): DescribedGroup {
    const group = this.groups.get(groupId);
    if (group) return group.describe();
    const state = this.opts.offsets.groups().includes(groupId) ? "Empty" : "Dead";
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      groupState: state,
      protocolType: "",
      protocolData: "",
      members: [],
    };
  }

  /** Groups with members or with committed offsets. */
  list(): { groupId: string; protocolType: string }[] {
    const ids = new Set([...this.groups.keys(), ...this.opts.offsets.groups()]);
    return [...ids].map((groupId) => ({
      groupId,
      protocolType: this.groups.get(groupId)?.protocolType ?? "consumer",
    }));
  }

  close(): void {
    this.closed = true;
    for (const group of this.groups.values()) group.close();
    this.groups.clear();
  }
}
