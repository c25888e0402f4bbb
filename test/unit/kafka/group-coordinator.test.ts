import { afterEach, describe, expect, it, vi } from "vitest";
import { GroupCoordinator } from "../../../local/kafka/groups/coordinator";
import { silentLogger } from "../../../local/kafka/logger";
import { ErrorCode } from "../../../local/kafka/protocol/errors";
import type { JoinGroupRequest } from "../../../local/kafka/protocol/requests/join-group/types";
import { openLogStore } from "../../../local/kafka/storage";

const join = (
  memberId = "",
  protocols = ["range", "roundrobin"],
  sessionTimeoutMs = 10_000,
): JoinGroupRequest => ({
  groupId: "risk",
  sessionTimeoutMs,
  rebalanceTimeoutMs: 2000,
  memberId,
  groupInstanceId: null,
  protocolType: "consumer",
  protocols: protocols.map((name) => ({ name, metadata: Buffer.from(name) })),
});

async function coordinator() {
  const store = await openLogStore({});
  return new GroupCoordinator({ offsets: store.offsets, logger: silentLogger, initialRebalanceDelayMs: 0 });
}

describe("group coordinator", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("elects the first member leader and relays the leader's assignment to followers", async () => {
    const groups = await coordinator();
    const a = await groups.join(join(), "client-a", "127.0.0.1");
    expect(a).toMatchObject({ errorCode: 0, generationId: 1, leader: a.memberId, protocolName: "range" });
    expect(a.members.map((m) => m.memberId)).toEqual([a.memberId]);
    await groups.sync({
      groupId: "risk",
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [],
    });

    // A second member triggers a rebalance; the first learns of it from its heartbeat.
    const bJoin = groups.join(join("", ["roundrobin", "range"]), "client-b", "127.0.0.1");
    expect(groups.heartbeat("risk", 1, a.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const [a2, b] = await Promise.all([groups.join(join(a.memberId), "client-a", "127.0.0.1"), bJoin]);
    expect(a2.generationId).toBe(2);
    expect(b.generationId).toBe(2);
    expect(a2.leader).toBe(a.memberId);
    expect(a2.members).toHaveLength(2);
    expect(b.members).toHaveLength(0);
    // One vote each for range and roundrobin; both are common, the tie keeps the first listed.
    expect(["range", "roundrobin"]).toContain(a2.protocolName);

    const followerSync = groups.sync({
      groupId: "risk",
      generationId: 2,
      memberId: b.memberId,
      groupInstanceId: null,
      assignments: [],
    });
    const leaderSync = await groups.sync({
      groupId: "risk",
      generationId: 2,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from("p0") },
        { memberId: b.memberId, assignment: Buffer.from("p1") },
      ],
    });
    expect(leaderSync.assignment.toString()).toBe("p0");
    expect((await followerSync).assignment.toString()).toBe("p1");
    expect(groups.describe("risk")).toMatchObject({ groupState: "Stable", members: expect.any(Array) });
    expect(groups.describe("risk").members).toHaveLength(2);
  });

  it("answers stale generations, unknown members and incompatible protocols with Kafka's errors", async () => {
    const groups = await coordinator();
    const a = await groups.join(join(), "a", "h");
    expect(groups.heartbeat("risk", a.generationId + 1, a.memberId)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(groups.heartbeat("risk", a.generationId, "ghost")).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.heartbeat("nobody", 1, "ghost")).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await groups.join(join("ghost"), "x", "h")).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await groups.join(join("", ["cooperative-sticky"]), "x", "h")).errorCode).toBe(
      ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
    );
    const sync = await groups.sync({
      groupId: "risk",
      generationId: 99,
      memberId: a.memberId,
      groupInstanceId: null,
      assignments: [],
    });
    expect(sync.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await groups.commit("risk", 99, a.memberId, [])).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(await groups.commit("risk", a.generationId, "ghost", [])).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.leave("risk", "ghost")).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.leave("risk", a.memberId)).toBe(ErrorCode.NONE);
    expect(groups.describe("risk").groupState).toBe("Empty");
    groups.close();
    expect(groups.heartbeat("risk", 1, a.memberId)).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await groups.join(join(), "a", "h")).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it("drops a member whose session times out and rebalances the rest", async () => {
    const groups = await coordinator();
    vi.useFakeTimers();
    const a = await groups.join(join("", ["range"], 1000), "a", "h");
    const bJoin = groups.join(join("", ["range"], 1000), "b", "h");
    const a2 = await groups.join(join(a.memberId, ["range"], 1000), "a", "h");
    const b = await bJoin;
    expect(a2.members).toHaveLength(2);
    // Only b keeps heartbeating (every 100 ms); a's 1 s session runs out between 900 and 1100 ms.
    for (let elapsed = 0; elapsed < 900; elapsed += 100) {
      expect(groups.heartbeat("risk", b.generationId, b.memberId)).toBe(ErrorCode.NONE);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(groups.describe("risk").members).toHaveLength(2);
    groups.heartbeat("risk", b.generationId, b.memberId);
    await vi.advanceTimersByTimeAsync(200);
    expect(groups.describe("risk").members.map((m) => m.memberId)).toEqual([b.memberId]);
    expect(groups.heartbeat("risk", b.generationId, b.memberId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const b2 = await groups.join(join(b.memberId, ["range"], 1000), "b", "h");
    expect(b2).toMatchObject({ errorCode: 0, leader: b.memberId, generationId: b.generationId + 1 });
    groups.close();
  });
});
