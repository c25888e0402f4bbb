import { alterConfigs } from "./alter-configs";
import { apiVersions } from "./api-versions";
import type { ApiCodec } from "./codec";
import { createPartitions } from "./create-partitions";
import { createTopics } from "./create-topics";
import { deleteTopics } from "./delete-topics";
import { describeConfigs } from "./describe-configs";
import { describeGroups } from "./describe-groups";
import { fetch } from "./fetch";
import { findCoordinator } from "./find-coordinator";
import { heartbeat } from "./heartbeat";
import { initProducerId } from "./init-producer-id";
import { joinGroup } from "./join-group";
import { leaveGroup } from "./leave-group";
import { listGroups } from "./list-groups";
import { listOffsets } from "./list-offsets";
import { metadata } from "./metadata";
import { offsetCommit } from "./offset-commit";
import { offsetFetch } from "./offset-fetch";
import { produce } from "./produce";
import { saslAuthenticate } from "./sasl-authenticate";
import { saslHandshake } from "./sasl-handshake";
import { syncGroup } from "./sync-group";

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
