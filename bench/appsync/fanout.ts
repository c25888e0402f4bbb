// Fan-out: N WebSocket clients subscribe over AppSync's real-time protocol, one mutation
// is sent, and we time how long each subscriber waits for its `data` message.
import WebSocket from "ws";
import {
  type GraphQLPayload,
  type RealtimeAuthorization,
  subscribeRealtime,
} from "../../local/appsync/playground/client/realtime";
import { percentile, sortedCopy } from "./stats";

export type FanoutOptions = {
  realtimeUrl: string;
  authorization: RealtimeAuthorization;
  subscription: string;
  subscribers: number;
  rounds: number;
  /** Sends the mutation for one round, tagged with `marker`. */
  mutate: (marker: string) => Promise<void>;
  /** Reads the marker back out of a subscription payload. */
  markerOf: (payload: GraphQLPayload) => unknown;
  /** Upper bound for one round, so a lost message ends the benchmark instead of hanging it. */
  roundTimeoutMs: number;
};

export type FanoutRound = { received: number; p50: number; max: number };

export async function runFanout(options: FanoutOptions): Promise<FanoutRound[]> {
  const listeners = new Set<(payload: GraphQLPayload) => void>();
  const stops = await Promise.all(
    Array.from({ length: options.subscribers }, () =>
      subscribeOne(options, (payload) => {
        for (const listener of listeners) listener(payload);
      }),
    ),
  );
  try {
    const rounds: FanoutRound[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      rounds.push(await runRound(options, listeners, `round-${round}-${Date.now()}`));
    }
    return rounds;
  } finally {
    for (const stop of stops) stop();
  }
}

async function runRound(
  options: FanoutOptions,
  listeners: Set<(payload: GraphQLPayload) => void>,
  marker: string,
): Promise<FanoutRound> {
  const waits: number[] = [];
  let started = 0;
  let done: () => void = () => {};
  const allReceived = new Promise<void>((resolve) => {
    done = resolve;
  });
  const listener = (payload: GraphQLPayload) => {
    if (options.markerOf(payload) !== marker) return;
    waits.push(performance.now() - started);
    if (waits.length === options.subscribers) done();
  };
  listeners.add(listener);
  const timeout = setTimeout(done, options.roundTimeoutMs);
  started = performance.now();
  await options.mutate(marker);
  await allReceived;
  clearTimeout(timeout);
  listeners.delete(listener);
  const sorted = sortedCopy(waits);
  return {
    received: waits.length,
    p50: percentile(sorted, 50),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Resolves once the server acknowledged the subscription, with a function that stops it. */
function subscribeOne(
  options: FanoutOptions,
  onData: (payload: GraphQLPayload) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const stop = subscribeRealtime(
      {
        url: options.realtimeUrl,
        authorization: options.authorization,
        query: options.subscription,
        createSocket: (url, protocols) => new WebSocket(url, protocols),
      },
      {
        started: () => resolve(stop),
        next: onData,
        error: reject,
        complete: () => reject(new Error("subscription completed before the benchmark ended")),
      },
    );
  });
}
