import type { Route } from "./core";
import {
  alterConfigsRoute,
  createPartitionsRoute,
  createTopicsRoute,
  deleteTopicsRoute,
  describeConfigsRoute,
  initProducerIdRoute,
} from "./handlers/admin";
import { apiVersionsRoute } from "./handlers/api-versions";
import { fetchRoute } from "./handlers/fetch";
import {
  describeGroupsRoute,
  findCoordinatorRoute,
  heartbeatRoute,
  joinGroupRoute,
  leaveGroupRoute,
  listGroupsRoute,
  syncGroupRoute,
} from "./handlers/groups";
import { listOffsetsRoute } from "./handlers/list-offsets";
import { metadataRoute } from "./handlers/metadata";
import { offsetCommitRoute, offsetFetchRoute } from "./handlers/offsets";
import { produceRoute } from "./handlers/produce";
import { saslAuthenticateRoute, saslHandshakeRoute } from "./handlers/sasl";

/** API key → handler, one per API the codecs implement. */
export const ROUTES: ReadonlyMap<number, Route<unknown, unknown>> = new Map(
  [
    apiVersionsRoute,
    metadataRoute,
    produceRoute,
    fetchRoute,
    listOffsetsRoute,
    findCoordinatorRoute,
    joinGroupRoute,
    syncGroupRoute,
    heartbeatRoute,
    leaveGroupRoute,
    offsetCommitRoute,
    offsetFetchRoute,
    createTopicsRoute,
    createPartitionsRoute,
    alterConfigsRoute,
    deleteTopicsRoute,
    describeConfigsRoute,
    initProducerIdRoute,
    describeGroupsRoute,
    listGroupsRoute,
    saslHandshakeRoute,
    saslAuthenticateRoute,
  ].map((r) => [r.codec.key, r]),
);
