import type { GroupCoordinator } from "../groups/coordinator";
import type { ProducerIdAllocator } from "../idempotence/producer-ids";
import type { ProducerStateTable } from "../idempotence/producer-state";
import type { Logger } from "../logger";
import type { RequestHeader } from "../protocol/header";
import type { ApiCodec } from "../protocol/requests/codec";
import type { LogStore } from "../storage/types";
import type { AppendNotifier } from "./notifier";

/** SASL/PLAIN users (name → password); undefined = no authentication. */
export type SaslConfig = { plainUsers: ReadonlyMap<string, string> };

/** Per-connection state: SASL progress. */
export type ConnectionSession = {
  authenticated: boolean;
  mechanism: string | null;
  principal: string | null;
  /** After a SaslHandshake v0 the next frame is a bare SASL token, not a Kafka request. */
  rawTokenNext: boolean;
  /** Set by a failed authentication: the connection closes once its answer is written. */
  closeAfterResponse: boolean;
};

/** Everything a request handler may use: the one broker's state. */
export type BrokerCore = {
  nodeId: number;
  clusterId: string;
  store: LogStore;
  groups: GroupCoordinator;
  producers: ProducerStateTable;
  producerIds: ProducerIdAllocator;
  notifier: AppendNotifier;
  logger: Logger;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  sasl: SaslConfig | undefined;
  /** Set once stop() begins: long polls end early, group calls answer NOT_COORDINATOR. */
  stopping: boolean;
};

export type RequestContext = {
  core: BrokerCore;
  header: RequestHeader;
  connectionId: number;
  clientHost: string;
  session: ConnectionSession;
  /** Where this connection's listener is advertised (Metadata, FindCoordinator). */
  listener: Listener;
};

export type Listener = { host: string; port: number };

export type Route<Req, Res> = {
  codec: ApiCodec<Req, Res>;
  handle: (req: Req, ctx: RequestContext) => Res | Promise<Res>;
  /**
   * The next request on the connection may start before this one completes (Produce: its
   * appends are issued in order synchronously; waiting for each fsync would serialise them).
   * Responses still go out in request order.
   */
  pipelined?: boolean;
  /** Requests that get no response at all (Produce with acks=0). */
  silent?: (req: Req) => boolean;
};

export const route = <Req, Res>(r: Route<Req, Res>): Route<unknown, unknown> => r as Route<unknown, unknown>;

export const isValidTopicName = (name: string) =>
  name.length > 0 && name.length <= 249 && /^[a-zA-Z0-9._-]+$/.test(name) && name !== "." && name !== "..";
