// Amplify's subscription readiness: the emulator's `start_ack`, as Amplify announces it.
import { isDeepStrictEqual } from "node:util";
import { Hub } from "aws-amplify/utils";

/**
 * Resolves on the emulator's `start_ack` for the next subscription started with `variables`
 * (Amplify announces it on the Hub's "api" channel). Start subscriptions one at a time, each
 * after the previous one's ack, so that the ack is the subscription's own.
 */
export function subscriptionAck(variables: Record<string, unknown>, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no start_ack within ${timeoutMs} ms for ${JSON.stringify(variables)}`));
    }, timeoutMs);
    const stop = Hub.listen("api", ({ payload }) => {
      const data = payload.data as { variables?: unknown } | undefined;
      if (payload.event !== "Subscription ack" || !isDeepStrictEqual(data?.variables ?? {}, variables))
        return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
