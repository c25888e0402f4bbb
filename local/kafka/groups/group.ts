import { randomUUID } from "node:crypto";
import type { Logger } from "../logger";
import { ErrorCode } from "../protocol/errors";
import type { DescribedGroup } from "../protocol/requests/describe-groups/types";
import type { JoinGroupRequest, JoinGroupResponse } from "../protocol/requests/join-group/types";
import type { SyncGroupResponse } from "../protocol/requests/sync-group/types";

export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable";

type Member = {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  pendingJoin?: (res: JoinGroupResponse) => void;
  pendingSync?: (res: SyncGroupResponse) => void;
  sessionTimer?: NodeJS.Timeout;
};

export type GroupOptions = { initialRebalanceDelayMs: number; logger: Logger };

const EMPTY: Buffer = Buffer.alloc(0);

const joinError = (errorCode: number, memberId = ""): JoinGroupResponse => ({
  throttleTimeMs: 0,
  errorCode,
  generationId: -1,
  protocolName: "",
  leader: "",
  memberId,
  members: [],
});

/**
 * One consumer group's membership state machine (Kafka's GroupMetadata, single broker):
 * members join, the group waits until every known member has rejoined (or the rebalance
 * timeout drops the laggards), elects a leader, and relays the leader's assignment.
 */
export class Group {
  state: GroupState = "Empty";
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  private readonly members = new Map<string, Member>();
  private rebalanceTimer?: NodeJS.Timeout;
  private joinOpensAt = 0;

  constructor(
    readonly groupId: string,
    private readonly opts: GroupOptions,
  ) {}

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  join(req: JoinGroupRequest, clientId: string, clientHost: string): Promise<JoinGroupResponse> {
    if (req.memberId !== "" && !this.members.has(req.memberId)) {
      return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, req.memberId));
    }
    if (req.protocols.length === 0 || !this.accepts(req)) {
      return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    const memberId = req.memberId || `${clientId || "member"}-${randomUUID()}`;
    const known = this.members.get(memberId);
    const member: Member = known ?? {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId,
      clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      assignment: EMPTY,
    };
    Object.assign(member, {
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
    });
    if (!known) {
      this.members.set(memberId, member);
      this.opts.logger.info("group member joined", { group: this.groupId, memberId, clientId });
    }
    this.protocolType = req.protocolType;
    return new Promise((resolve) => {
      member.pendingJoin?.(joinError(ErrorCode.REBALANCE_IN_PROGRESS, memberId));
      member.pendingJoin = resolve;
      this.touch(member);
      if (this.state !== "PreparingRebalance") this.prepareRebalance(`member ${memberId} joining`);
      else this.maybeCompleteJoin();
    });
  }

  /** Protocol type must match the group's, and some protocol must be supported by everyone. */
  private accepts(req: JoinGroupRequest): boolean {
    const others = [...this.members.values()].filter((m) => m.memberId !== req.memberId);
    if (others.length === 0) return true;
    if (this.protocolType !== req.protocolType) return false;
    return req.protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  sync(
    generationId: number,
    memberId: string,
    assignments: { memberId: string; assignment: Buffer }[],
  ): Promise<SyncGroupResponse> {
    const reply = (errorCode: number, assignment = EMPTY) =>
      Promise.resolve({ throttleTimeMs: 0, errorCode, assignment });
    const member = this.members.get(memberId);
    if (!member) return reply(ErrorCode.UNKNOWN_MEMBER_ID);
    if (generationId !== this.generationId) return reply(ErrorCode.ILLEGAL_GENERATION);
    this.touch(member);
    if (this.state === "PreparingRebalance") return reply(ErrorCode.REBALANCE_IN_PROGRESS);
    if (this.state === "Stable") return reply(ErrorCode.NONE, member.assignment);
    return new Promise((resolve) => {
      member.pendingSync = resolve;
      if (memberId !== this.leaderId) return;
      const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      this.state = "Stable";
      for (const m of this.members.values()) {
        m.assignment = byMember.get(m.memberId) ?? EMPTY;
        m.pendingSync?.({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, assignment: m.assignment });
        m.pendingSync = undefined;
      }
      this.opts.logger.info("group stable", {
        group: this.groupId,
        generationId: this.generationId,
        members: this.members.size,
      });
    });
  }

  heartbeat(generationId: number, memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.touch(member);
    if (this.state === "PreparingRebalance") return ErrorCode.REBALANCE_IN_PROGRESS;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.remove(member, "left");
    return ErrorCode.NONE;
  }

  /** Error code for committing offsets as this member of this generation. */
  commitCheck(generationId: number, memberId: string): number {
    // A commit outside group management (e.g. a standalone consumer) is fine while nobody is a member.
    if (generationId < 0 && memberId === "") {
      return this.members.size === 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    }
    if (!this.members.has(memberId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (this.state === "PreparingRebalance") return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  describe(): DescribedGroup {
    return {
      errorCode: ErrorCode.NONE,
      groupId: this.groupId,
      groupState: this.state,
      protocolType: this.protocolType ?? "",
      protocolData: this.protocolName ?? "",
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? EMPTY,
        memberAssignment: m.assignment,
      })),
    };
  }

  /** Broker stopping: every waiting member is told to find the coordinator again. */
  close(): void {
    clearTimeout(this.rebalanceTimer);
    for (const m of this.members.values()) {
      clearTimeout(m.sessionTimer);
      m.pendingJoin?.(joinError(ErrorCode.NOT_COORDINATOR, m.memberId));
      m.pendingSync?.({ throttleTimeMs: 0, errorCode: ErrorCode.NOT_COORDINATOR, assignment: EMPTY });
    }
    this.members.clear();
  }

  private touch(member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      // A member parked in JoinGroup is alive; the rebalance timeout governs it instead.
      if (member.pendingJoin) this.touch(member);
      else this.remove(member, "session timed out");
    }, member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private remove(member: Member, why: string): void {
    clearTimeout(member.sessionTimer);
    this.members.delete(member.memberId);
    member.pendingSync?.({ throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    member.pendingJoin?.(joinError(ErrorCode.UNKNOWN_MEMBER_ID, member.memberId));
    this.opts.logger.info(`group member ${why}`, { group: this.groupId, memberId: member.memberId });
    if (this.members.size === 0) {
      clearTimeout(this.rebalanceTimer);
      this.state = "Empty";
      this.leaderId = null;
      this.generationId++;
    } else if (this.state === "PreparingRebalance") this.maybeCompleteJoin();
    else this.prepareRebalance(`member ${member.memberId} ${why}`);
  }

  private prepareRebalance(reason: string): void {
    if (this.state === "CompletingRebalance") {
      for (const m of this.members.values()) {
        m.pendingSync?.({ throttleTimeMs: 0, errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        m.pendingSync = undefined;
      }
    }
    // A brand-new group waits briefly so members starting together land in one generation.
    this.joinOpensAt = this.state === "Empty" ? Date.now() + this.opts.initialRebalanceDelayMs : 0;
    this.state = "PreparingRebalance";
    this.opts.logger.info("group rebalancing", { group: this.groupId, reason });
    const timeout = Math.max(...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = setTimeout(() => this.completeJoin(), timeout);
    this.rebalanceTimer.unref();
    this.maybeCompleteJoin();
  }

  private maybeCompleteJoin(): void {
    if ([...this.members.values()].some((m) => !m.pendingJoin)) return;
    const wait = this.joinOpensAt - Date.now();
    if (wait > 0) {
      setTimeout(() => this.state === "PreparingRebalance" && this.maybeCompleteJoin(), wait).unref();
      return;
    }
    this.completeJoin();
  }

  /** Ends the join phase: members that did not rejoin in time are dropped. */
  private completeJoin(): void {
    if (this.state !== "PreparingRebalance") return;
    clearTimeout(this.rebalanceTimer);
    for (const m of [...this.members.values()]) {
      if (!m.pendingJoin) {
        clearTimeout(m.sessionTimer);
        this.members.delete(m.memberId);
        this.opts.logger.info("group member dropped: did not rejoin", {
          group: this.groupId,
          memberId: m.memberId,
        });
      }
    }
    this.generationId++;
    if (this.members.size === 0) {
      this.state = "Empty";
      this.leaderId = null;
      return;
    }
    const members = [...this.members.values()];
    this.protocolName = this.chooseProtocol(members);
    if (!this.leaderId || !this.members.has(this.leaderId)) this.leaderId = members[0].memberId;
    this.state = "CompletingRebalance";
    for (const m of members) {
      const resolve = m.pendingJoin;
      m.pendingJoin = undefined;
      this.touch(m);
      resolve?.({
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        generationId: this.generationId,
        protocolName: this.protocolName,
        leader: this.leaderId,
        memberId: m.memberId,
        members:
          m.memberId === this.leaderId
            ? members.map((x) => ({
                memberId: x.memberId,
                groupInstanceId: x.groupInstanceId,
                metadata: x.protocols.find((p) => p.name === this.protocolName)?.metadata ?? EMPTY,
              }))
            : [],
      });
    }
  }

  /** Kafka's vote: among protocols every member supports, each member votes for its first. */
  private chooseProtocol(members: Member[]): string {
    const common = members[0].protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map(common.map((name) => [name, 0]));
    for (const m of members) {
      const pick = m.protocols.find((p) => votes.has(p.name));
      if (pick) votes.set(pick.name, (votes.get(pick.name) ?? 0) + 1);
    }
    return [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
  }
}
