// The scheduled outbox relay on AWS: once a minute (EventBridge schedule, see
// infra/stacks/services-stack.ts) it publishes the events an initiation or review wrote to
// a payment row's outbox but could not publish before its process died, when no client
// retry picked them up. Each tenant is swept on its own with `relayTenants`
// (consumers/pipeline/outbox-relay.ts), so a tenant whose sweep fails (its role
// cannot be assumed, its table throttles, Kafka refuses) is logged and the others are
// still swept.
//
// Failure of the invocation: only after every tenant has been tried, and then if any
// tenant failed (or the wiring could not be built). The failed invocation shows up in the
// function's Errors metric, which raises an alarm: a tenant whose outbox cannot be drained
// holds events back until someone looks. Lambda does not retry it (retryAttempts 0): the
// next scheduled sweep a minute later is the retry, and a sweep that succeeded for the
// other tenants is not run twice.
import { randomUUID } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { EventEnvelope } from "../../core/events";
import type { PaymentEventPublisher } from "../persistence/ports/outbox";
import { type RelayOptions, relayTenants } from "../pipeline/outbox-relay";
import { redact, requestLogger, type TracerPort, traced } from "../platform/observability";

export type OutboxRelayDeps = {
  paymentsOf: RelayOptions["paymentsOf"];
  publisher: PaymentEventPublisher<EventEnvelope>;
  /** The provisioned tenants to sweep (on AWS: config/tenants bundled with the function). */
  tenantIds: () => Promise<readonly string[]> | readonly string[];
  /** Leave events this fresh to the request still publishing them (≥ the API's in-progress window). */
  minAgeMs: number;
  logger: Logger;
  tracer?: TracerPort;
  /** Tenants swept at the same time (default 4). */
  concurrency?: number;
  /** Payments with pending events read per tenant and sweep (relayTenants' default when unset). */
  batch?: number;
  now?: () => number;
};

/** What one invocation did; `failedTenants` is empty when it succeeded. */
export type SweepSummary = {
  correlationId: string;
  tenants: number;
  published: number;
  failedTenants: string[];
};

/** The part of EventBridge's scheduled event the relay reads. */
export type ScheduledInvocation = { id?: string; time?: string };

export class OutboxRelayError extends Error {
  constructor(readonly summary: SweepSummary) {
    super(
      `outbox relay failed for ${summary.failedTenants.length} of ${summary.tenants} tenants: ${summary.failedTenants.join(", ")}`,
    );
    this.name = "OutboxRelayError";
  }
}

const DEFAULT_CONCURRENCY = 4;

/** One sweep over every tenant per call; resolves with its summary, rejects if any tenant failed. */
export function createOutboxRelay(
  deps: OutboxRelayDeps,
): (event: ScheduledInvocation, correlationId?: string) => Promise<SweepSummary> {
  const concurrency = Math.max(1, deps.concurrency ?? DEFAULT_CONCURRENCY);

  return async (event, correlationId = event.id ?? randomUUID()) => {
    const tenantIds = [...new Set(await deps.tenantIds())];
    let published = 0;
    const failedTenants: string[] = [];

    const sweep = async (tenantId: string) => {
      const log = requestLogger(deps.logger, { tenantId, correlationId });
      try {
        const count = await relayTenants({
          paymentsOf: deps.paymentsOf,
          publisher: deps.publisher,
          tenantIds: () => [tenantId],
          minAgeMs: deps.minAgeMs,
          now: deps.now,
          batch: deps.batch,
        });
        published += count;
        if (count > 0) log.info("outbox events relayed", { published: count });
      } catch (error) {
        failedTenants.push(tenantId);
        log.error("outbox relay failed for tenant", { error: redact(error) });
      }
    };
    const run = async () => {
      // A small pool: each worker takes the next tenant until none are left.
      let next = 0;
      const worker = async () => {
        while (next < tenantIds.length) await sweep(tenantIds[next++]);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, tenantIds.length) }, worker));
    };
    await (deps.tracer ? traced(deps.tracer, "outbox-relay", run) : run());

    failedTenants.sort();
    const summary: SweepSummary = { correlationId, tenants: tenantIds.length, published, failedTenants };
    const log = deps.logger.createChild();
    log.appendPersistentKeys({ correlationId });
    if (failedTenants.length > 0) {
      log.error("outbox relay sweep incomplete", { ...summary, scheduledAt: event.time });
      throw new OutboxRelayError(summary);
    }
    log.info("outbox relay sweep done", { ...summary, scheduledAt: event.time });
    return summary;
  };
}
