// "Live updates" side panel: a subscription that keeps running while the editor tabs are
// used for mutations (GraphiQL stops its own subscription whenever the tab changes), so
// a partner can start a payment and watch it move in one window.
import { createElement as h, useState, useSyncExternalStore } from "react";
import type { GraphQLPayload } from "./realtime";

export type LiveStatus = "idle" | "connecting" | "subscribed" | "ended" | "failed";
export type LiveEvent = { seq: number; receivedAt: string; payload: GraphQLPayload };
export type LiveState = { status: LiveStatus; detail: string; events: LiveEvent[] };

/** Starts a subscription; returns the function that stops it. */
export type StartSubscription = (
  query: string,
  sink: {
    started(): void;
    next(payload: GraphQLPayload): void;
    error(error: Error): void;
    complete(): void;
  },
) => { stop: () => void; tenant: string };

const MAX_EVENTS = 50;

export function createLiveStore(startSubscription: StartSubscription) {
  let state: LiveState = { status: "idle", detail: "", events: [] };
  let stopCurrent: (() => void) | undefined;
  let seq = 0;
  const listeners = new Set<() => void>();
  const update = (next: Partial<LiveState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };

  const stop = () => {
    stopCurrent?.();
    stopCurrent = undefined;
  };

  const start = (query: string) => {
    stop();
    let active = true;
    const { stop: stopThis, tenant } = startSubscription(query, {
      started: () => active && update({ status: "subscribed", detail: `as tenant ${tenant}` }),
      next: (payload) =>
        active &&
        update({
          events: [{ seq: ++seq, receivedAt: new Date().toISOString(), payload }, ...state.events].slice(
            0,
            MAX_EVENTS,
          ),
        }),
      error: (error) => active && update({ status: "failed", detail: error.message }),
      complete: () => active && update({ status: "ended", detail: "" }),
    });
    update({ status: "connecting", detail: `as tenant ${tenant}`, events: [] });
    stopCurrent = () => {
      active = false;
      stopThis();
      update({ status: "ended", detail: "stopped" });
    };
  };

  return {
    start,
    stop,
    getState: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type LiveStore = ReturnType<typeof createLiveStore>;

export function LivePanel({ store, defaultQuery }: { store: LiveStore; defaultQuery: string }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [query, setQuery] = useState(defaultQuery);
  const running = state.status === "connecting" || state.status === "subscribed";
  return h(
    "section",
    { className: "payrail-live" },
    h("div", { className: "graphiql-doc-explorer-title" }, "Live updates"),
    h("p", null, "Keeps this subscription open while you run mutations in the editor."),
    h("textarea", {
      className: "payrail-live-query",
      value: query,
      spellCheck: false,
      rows: 8,
      onChange: (event: { target: { value: string } }) => setQuery(event.target.value),
    }),
    h(
      "div",
      { className: "payrail-live-controls" },
      h(
        "button",
        {
          type: "button",
          className: "graphiql-button",
          onClick: () => (running ? store.stop() : store.start(query)),
        },
        running ? "Stop" : "Start",
      ),
      h(
        "span",
        { className: "payrail-live-status", "data-status": state.status },
        `${state.status} ${state.detail}`,
      ),
    ),
    h(
      "ol",
      { className: "payrail-live-events", reversed: true },
      state.events.map((event) =>
        h(
          "li",
          { key: event.seq },
          h("time", null, event.receivedAt),
          h("pre", null, JSON.stringify(event.payload, null, 2)),
        ),
      ),
    ),
  );
}
