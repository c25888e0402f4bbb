// Delivers recorded webhook deliveries, outside the Kafka batch that recorded them: each
// tick reads every tenant's pending deliveries, picks those that are due and next in their
// payment's order for their endpoint (core's dueInOrder) and starts their POSTs without
// awaiting them, at most `perEndpointConcurrency` per endpoint. So a hanging endpoint
// holds only its own slots; other endpoints and the payment pipeline never wait for it.
// The pending index it reads is eventually consistent (an item being claimed or logged can
// be missing from it for a moment), so before a POST the lane's earlier deliveries are
// confirmed done with one consistent read of the table.
// Locally a timer loop (startWebhookDispatcherLoop) runs it; on AWS the scheduled
// `webhook-dispatcher` function does, for a bounded time per invocation.
import type { Logger } from "@aws-lambda-powertools/logger";
import {
  dueInOrder,
  nextAttemptAt,
  type RetrySchedule,
  signatureHeader,
  type UrlPolicy,
  WEBHOOK_HEADERS,
} from "../../core/webhooks";
import {
  type DeliveryAttempt,
  deliveryIdOf,
  type PaymentProgress,
  type PendingDeliveryRef,
  type WebhookEndpointRecord,
  type WebhookStore,
} from "../persistence/ports/webhooks";
import { requestLogger } from "../platform/observability";
import { redactText } from "../platform/redact";
import type { WebhookPost } from "../platform/webhook-post";

export type DispatcherOptions = {
  tenantIds: () => readonly string[];
  storeOf: (tenantId: string) => WebhookStore;
  schedule: RetrySchedule;
  timeoutMs: number;
  perEndpointConcurrency: number;
  policy: UrlPolicy;
  post: WebhookPost;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  /** How long a gap in a payment's sequence holds its later events back (default 60 s). */
  holdMs?: number;
  /** POSTs in flight in total (default 256). */
  maxInFlight?: number;
  /** Called after each attempt (tests, bench). */
  onAttempt?: (delivery: PendingDeliveryRef, attempt: DeliveryAttempt) => void;
  /** Called when a slot of a full endpoint frees up: waiting lanes may go now (the loop pokes itself). */
  onSettled?: () => void;
};

/** A claimed attempt not finished by then (its dispatcher died) is due again. */
const LEASE_MARGIN_MS = 20_000;
const NO_PROGRESS: PaymentProgress = { sequences: new Set(), eventIds: new Map() };

const withTimes = (d: PendingDeliveryRef) => ({
  ...d,
  createdAtMs: Date.parse(d.createdAt),
  nextAttemptAtMs: d.nextAttemptAt ? Date.parse(d.nextAttemptAt) : 0,
});

export type WebhookDispatcher = {
  /** One pass over every tenant; starts due POSTs and returns without waiting for them. */
  tick(): Promise<void>;
  /** Resolves once no POST is in flight. */
  idle(): Promise<void>;
  inFlight(): number;
};

export function webhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const holdMs = options.holdMs ?? 60_000;
  const maxInFlight = options.maxInFlight ?? 256;
  const inFlight = new Map<string, Promise<void>>();
  const perEndpoint = new Map<string, number>();

  /**
   * One attempt; answers whether the lane moved on (the delivery succeeded or failed for
   * good). It is not made while an earlier delivery of its lane is still pending.
   */
  async function attempt(
    store: WebhookStore,
    endpoint: WebhookEndpointRecord,
    delivery: PendingDeliveryRef,
    progress: PaymentProgress,
  ): Promise<boolean> {
    const log = requestLogger(options.logger, {
      tenantId: delivery.tenantId,
      correlationId: delivery.correlationId,
      paymentId: delivery.paymentId,
    });
    const earlier = [...progress.eventIds]
      .filter(([sequence]) => sequence < delivery.sequence)
      .map(([, eventId]) => deliveryIdOf(endpoint.endpointId, eventId));
    const waitingFor = await store.deliveries.stillPending(earlier);
    if (waitingFor.size > 0) {
      log.debug("webhook held behind an earlier event", {
        deliveryId: delivery.deliveryId,
        waitingFor: [...waitingFor],
      });
      return false;
    }
    const started = now();
    const claimed = await store.deliveries.claim(
      delivery,
      new Date(started.getTime() + options.timeoutMs + LEASE_MARGIN_MS),
    );
    if (!claimed) return false; // another dispatcher took this attempt
    const number = delivery.attemptCount + 1;
    const result = await options.post(
      endpoint.url,
      claimed.body,
      {
        [WEBHOOK_HEADERS.signature]: signatureHeader(
          store.endpoints.signingSecrets(endpoint, started),
          Math.floor(started.getTime() / 1000),
          claimed.body,
        ),
        [WEBHOOK_HEADERS.eventId]: delivery.eventId,
        [WEBHOOK_HEADERS.eventType]: delivery.eventType,
        [WEBHOOK_HEADERS.attempt]: String(number),
      },
      { timeoutMs: options.timeoutMs, policy: options.policy },
    );
    const finished = now();
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const next = ok
      ? undefined
      : nextAttemptAt(options.schedule, Date.parse(delivery.createdAt), finished.getTime(), number, random);
    const record: DeliveryAttempt = {
      attempt: number,
      at: started.toISOString(),
      statusCode: result.statusCode,
      latencyMs: result.latencyMs,
      ...(result.error ? { error: redactText(result.error).slice(0, 300) } : {}),
      nextRetryAt: next === undefined ? null : new Date(next).toISOString(),
    };
    const status = ok ? "SUCCEEDED" : next === undefined ? "FAILED" : "PENDING";
    await store.deliveries.finish(delivery.deliveryId, record, status);
    if (ok && endpoint.status === "FAILING")
      await store.endpoints.setStatus(endpoint.endpointId, "ACTIVE", finished);
    if (status === "FAILED") await store.endpoints.setStatus(endpoint.endpointId, "FAILING", finished);
    const fields = {
      deliveryId: delivery.deliveryId,
      endpointId: endpoint.endpointId,
      attempt: number,
      status,
    };
    if (ok)
      log.info("webhook delivered", {
        ...fields,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
      });
    else
      log.warn("webhook attempt failed", { ...fields, statusCode: result.statusCode, error: record.error });
    options.onAttempt?.(delivery, record);
    return status !== "PENDING";
  }

  /** A delivery whose endpoint is gone is closed as FAILED (it would otherwise be read forever). */
  async function abandon(store: WebhookStore, delivery: PendingDeliveryRef): Promise<boolean> {
    const at = now();
    if (!(await store.deliveries.claim(delivery, at))) return false;
    await store.deliveries.finish(
      delivery.deliveryId,
      {
        attempt: delivery.attemptCount + 1,
        at: at.toISOString(),
        statusCode: null,
        latencyMs: 0,
        error: "endpoint deleted",
        nextRetryAt: null,
      },
      "FAILED",
    );
    return true;
  }

  /** What the last tick saw of a tenant: its lanes (endpoint/payment → pending, by sequence). */
  type Snapshot = {
    store: WebhookStore;
    lanes: Map<string, PendingDeliveryRef[]>;
    seen: Map<string, PaymentProgress>;
    endpoints: Map<string, WebhookEndpointRecord>;
  };
  const laneOf = (d: PendingDeliveryRef) => `${d.endpointId}/${d.paymentId}`;

  /**
   * Starts `delivery` unless it is in flight or its endpoint is at its bound. When it moves
   * its lane on, the lane's next delivery starts at once (from the snapshot, if it is due and
   * in order), instead of waiting for the next tick.
   */
  function start(tenantId: string, snapshot: Snapshot, delivery: PendingDeliveryRef): void {
    if (inFlight.has(delivery.deliveryId) || inFlight.size >= maxInFlight) return;
    const endpoint = snapshot.endpoints.get(delivery.endpointId);
    if (!endpoint) {
      launch(tenantId, () => abandon(snapshot.store, delivery), delivery, snapshot);
      return;
    }
    // A disabled endpoint's deliveries wait (enabling it resumes them).
    if (!endpoint.enabled) return;
    if ((perEndpoint.get(endpoint.endpointId) ?? 0) >= options.perEndpointConcurrency) return;
    const progress = snapshot.seen.get(delivery.paymentId) ?? NO_PROGRESS;
    launch(tenantId, () => attempt(snapshot.store, endpoint, delivery, progress), delivery, snapshot);
  }

  function continueLane(tenantId: string, snapshot: Snapshot, done: PendingDeliveryRef): void {
    const lane = snapshot.lanes.get(laneOf(done));
    if (!lane) return;
    lane.splice(lane.indexOf(done), 1);
    const [next] = dueInOrder(lane.map(withTimes), {
      seen: (paymentId) => (snapshot.seen.get(paymentId) ?? NO_PROGRESS).sequences,
      nowMs: now().getTime(),
      holdMs,
    });
    const ref = next && lane.find((d) => d.deliveryId === next.deliveryId);
    if (ref) start(tenantId, snapshot, ref);
  }

  function launch(
    tenantId: string,
    work: () => Promise<boolean>,
    delivery: PendingDeliveryRef,
    snapshot: Snapshot,
  ) {
    perEndpoint.set(delivery.endpointId, (perEndpoint.get(delivery.endpointId) ?? 0) + 1);
    let movedOn = false;
    const running = work()
      .then((moved) => {
        movedOn = moved;
      })
      .catch((error: unknown) =>
        requestLogger(options.logger, { tenantId, correlationId: delivery.correlationId }).error(
          "webhook attempt could not be recorded",
          {
            deliveryId: delivery.deliveryId,
            error: error instanceof Error ? redactText(error.message) : "unknown",
          },
        ),
      )
      .finally(() => {
        inFlight.delete(delivery.deliveryId);
        const slots = perEndpoint.get(delivery.endpointId) ?? 1;
        perEndpoint.set(delivery.endpointId, slots - 1);
        if (movedOn) continueLane(tenantId, snapshot, delivery);
        // A lane continues by itself; a tick is only worth it when a full endpoint (or the
        // global bound) freed a slot that other lanes may be waiting for.
        if (slots >= options.perEndpointConcurrency || inFlight.size + 1 >= maxInFlight)
          options.onSettled?.();
      });
    inFlight.set(delivery.deliveryId, running);
  }

  async function tickTenant(tenantId: string) {
    const store = options.storeOf(tenantId);
    const pending = await store.deliveries.pending();
    if (pending.length === 0) return;
    const seen = await store.progress.seen(pending.map((d) => d.paymentId));
    const due = dueInOrder(pending.map(withTimes), {
      seen: (paymentId) => (seen.get(paymentId) ?? NO_PROGRESS).sequences,
      nowMs: now().getTime(),
      holdMs,
    });
    if (due.length === 0) return;
    const lanes = new Map<string, PendingDeliveryRef[]>();
    for (const d of [...pending].sort((a, b) => a.sequence - b.sequence)) {
      const lane = lanes.get(laneOf(d));
      if (lane) lane.push(d);
      else lanes.set(laneOf(d), [d]);
    }
    const endpoints = new Map((await store.endpoints.list()).map((e) => [e.endpointId, e]));
    const snapshot: Snapshot = { store, lanes, seen, endpoints };
    const byId = new Map(pending.map((d) => [d.deliveryId, d]));
    for (const head of due) {
      const delivery = byId.get(head.deliveryId);
      if (delivery) start(tenantId, snapshot, delivery);
    }
  }

  return {
    async tick() {
      const results = await Promise.allSettled(options.tenantIds().map(tickTenant));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
    inFlight: () => inFlight.size,
  };
}

export type DispatcherLoop = {
  /** Ticks soon (the consumer recorded deliveries); ticks never overlap. */
  poke(): void;
  /** Stops ticking; with `drain`, waits for the POSTs in flight. */
  stop(options?: { drain?: boolean }): Promise<void>;
};

/** Ticks every `intervalMs` and whenever poked, one tick at a time. */
export function startWebhookDispatcherLoop(
  dispatcher: WebhookDispatcher,
  options: { intervalMs: number; onError: (error: unknown) => void },
): DispatcherLoop {
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = dispatcher
      .tick()
      .catch(options.onError)
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, options.intervalMs);
  return {
    poke: run,
    async stop({ drain = false } = {}) {
      stopped = true;
      clearInterval(timer);
      await running;
      if (drain) await dispatcher.idle();
    },
  };
}
