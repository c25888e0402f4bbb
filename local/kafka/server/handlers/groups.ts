import { ErrorCode } from "../../protocol/errors";
import {
  describeGroups,
  findCoordinator,
  heartbeat,
  joinGroup,
  leaveGroup,
  listGroups,
  syncGroup,
} from "../../protocol/requests";
import type { DescribeGroupsRequest } from "../../protocol/requests/describe-groups/types";
import type { FindCoordinatorRequest } from "../../protocol/requests/find-coordinator/types";
import type { HeartbeatRequest } from "../../protocol/requests/heartbeat/types";
import type { JoinGroupRequest } from "../../protocol/requests/join-group/types";
import type { LeaveGroupRequest } from "../../protocol/requests/leave-group/types";
import type { SyncGroupRequest } from "../../protocol/requests/sync-group/types";
import { route } from "../core";

const GROUP_KEY = 0;

export const findCoordinatorRoute = route({
  codec: findCoordinator,
  handle: (req: FindCoordinatorRequest, { core, listener }) => {
    // This broker coordinates every group; there is no transaction coordinator.
    const available = req.keyType === GROUP_KEY && !core.stopping;
    return {
      throttleTimeMs: 0,
      errorCode: available ? ErrorCode.NONE : ErrorCode.COORDINATOR_NOT_AVAILABLE,
      errorMessage: available ? null : "no coordinator for this key type",
      nodeId: available ? core.nodeId : -1,
      host: available ? listener.host : "",
      port: available ? listener.port : -1,
    };
  },
});

export const joinGroupRoute = route({
  codec: joinGroup,
  handle: (req: JoinGroupRequest, { core, header, clientHost }) =>
    core.groups.join(req, header.clientId ?? "", clientHost),
});

export const syncGroupRoute = route({
  codec: syncGroup,
  handle: (req: SyncGroupRequest, { core }) => core.groups.sync(req),
});

export const heartbeatRoute = route({
  codec: heartbeat,
  handle: (req: HeartbeatRequest, { core }) => ({
    throttleTimeMs: 0,
    errorCode: core.groups.heartbeat(req.groupId, req.generationId, req.memberId),
  }),
});

export const leaveGroupRoute = route({
  codec: leaveGroup,
  handle: (req: LeaveGroupRequest, { core }) => {
    const members = req.members.map((m) => ({ ...m, errorCode: core.groups.leave(req.groupId, m.memberId) }));
    // v0–v2 carry one member, whose outcome is the top-level error.
    const errorCode = members.length === 1 ? members[0].errorCode : ErrorCode.NONE;
    return { throttleTimeMs: 0, errorCode, members };
  },
});

export const describeGroupsRoute = route({
  codec: describeGroups,
  handle: (req: DescribeGroupsRequest, { core }) => ({
    throttleTimeMs: 0,
    groups: req.groups.map((g) => core.groups.describe(g)),
  }),
});

export const listGroupsRoute = route({
  codec: listGroups,
  handle: (_req, { core }) => ({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: core.groups.list() }),
});
