// The live subscriptions of all connections, and delivery of a mutation's publication
// to those whose argument and enhanced filters match it.
import type { Executor, Invocation, Prepared, Publication, StartedSubscription } from "../execute";
import type { SubscriptionFilter } from "../runtime/transform";
import { scrubErrors } from "../scrub";
import { matchesFilter } from "./filters";

export type LiveSubscription = {
  id: string;
  prepared: Prepared;
  started: StartedSubscription;
  invocation: Invocation;
  send: (message: unknown) => void;
  /** Sends an already serialised message. */
  sendText: (text: string) => void;
  /** Query + variables: subscribers with the same key receive the same rendering. */
  renderKey: string;
};

const argumentsMatch = (args: Record<string, unknown>, data: Record<string, unknown>): boolean =>
  Object.entries(args).every(
    ([name, value]) => value === null || value === undefined || data[name] === value,
  );

export function createSubscriptionRegistry(executor: Executor) {
  const byField = new Map<string, Set<LiveSubscription>>();

  const add = (sub: LiveSubscription) => {
    let set = byField.get(sub.started.fieldName);
    if (!set) {
      set = new Set();
      byField.set(sub.started.fieldName, set);
    }
    set.add(sub);
  };
  const remove = (sub: LiveSubscription) => byField.get(sub.started.fieldName)?.delete(sub);

  /** Sends the publication to every matching subscriber; returns how many received it. */
  const publish = async (publication: Publication): Promise<number> => {
    // Subscribers with the same query and variables share one rendering and one JSON text.
    const groups = new Map<string, { fieldName: string; subs: LiveSubscription[] }>();
    for (const fieldName of publication.subscriptionFields) {
      for (const sub of byField.get(fieldName) ?? []) {
        const { filter } = sub.started;
        if (!argumentsMatch(sub.started.args, publication.data)) continue;
        if (filter && !matchesFilter(filter, publication.data)) continue;
        const key = `${fieldName}\u0000${sub.renderKey}`;
        const group = groups.get(key) ?? { fieldName, subs: [] };
        group.subs.push(sub);
        groups.set(key, group);
      }
    }
    const sent = await Promise.all(
      [...groups.values()].map(async ({ fieldName, subs }) => {
        const [first] = subs;
        if (!first) return 0;
        const payload = JSON.stringify(
          scrubErrors(await executor.render(first.prepared, fieldName, publication.data, first.invocation)),
        );
        for (const sub of subs)
          sub.sendText(`{"type":"data","id":${JSON.stringify(sub.id)},"payload":${payload}}`);
        return subs.length;
      }),
    );
    return sent.reduce((a, b) => a + b, 0);
  };

  /** extensions.invalidateSubscriptions: ends subscriptions whose invalidation filter matches. */
  const invalidate = (subscriptionField: string, payload: Record<string, unknown>): LiveSubscription[] => {
    const ended: LiveSubscription[] = [];
    for (const sub of byField.get(subscriptionField) ?? []) {
      const filter: SubscriptionFilter | undefined = sub.started.invalidationFilter;
      if (filter && matchesFilter(filter, payload)) ended.push(sub);
    }
    for (const sub of ended) remove(sub);
    return ended;
  };

  const count = () => [...byField.values()].reduce((n, s) => n + s.size, 0);

  return { add, remove, publish, invalidate, count };
}

export type SubscriptionRegistry = ReturnType<typeof createSubscriptionRegistry>;
