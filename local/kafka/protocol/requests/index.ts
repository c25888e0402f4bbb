import { alterConfigs } from "./alterConfigs";
import { apiVersions } from "./apiVersions";
import type { ApiCodec } from "./codec";
import { createPartitions } from "./createPartitions";
import { createTopics } from "./createTopics";
import { deleteTopics } from "./deleteTopics";
import { describeConfigs } from "./describeConfigs";
import { describeGroups } from "./describeGroups";
import { fetch } from "./fetch";
import { findCoordinator } from "./findCoordinator";
import { heartbeat } from "./heartbeat";
import { initProducerId } from "./initProducerId";
import { joinGroup } from "./joinGroup";
import { leaveGroup } from "./leaveGroup";
import { listGroups } from "./listGroups";
import { listOffsets } from "./listOffsets";
import { metadata } from "./metadata";
import { offsetCommit } from "./offsetCommit";
import { offsetFetch } from "./offsetFetch";
import { produce } from "./produce";
import { saslAuthenticate } from "./saslAuthenticate";
import { saslHandshake } from "./saslHandshake";
import { syncGroup } from "./syncGroup";

export {
  alterConfigs,
  apiVersions,
  createPartitions,
  createTopics,
  deleteTopics,
  describeConfigs,
  describeGroups,
  fetch,
  findCoordinator,
  heartbeat,
  initProducerId,
  joinGroup,
  leaveGroup,
  listGroups,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  produce,
  saslAuthenticate,
  saslHandshake,
  syncGroup,
};

/** Every API this broker implements; ApiVersions advertises exactly these ranges. */
export const API_CODECS: readonly ApiCodec<never, never>[] = [
  produce,
  fetch,
  listOffsets,
  metadata,
  offsetCommit,
  offsetFetch,
  findCoordinator,
  joinGroup,
  heartbeat,
  leaveGroup,
  syncGroup,
  describeGroups,
  listGroups,
  apiVersions,
  createTopics,
  deleteTopics,
  initProducerId,
  describeConfigs,
  alterConfigs,
  createPartitions,
] as unknown as ApiCodec<never, never>[];

/** Advertised only on a broker with SASL enabled. */
export const SASL_CODECS: readonly ApiCodec<never, never>[] = [
  saslHandshake,
  saslAuthenticate,
] as unknown as ApiCodec<never, never>[];
