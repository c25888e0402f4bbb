// Browser entry of the playground: a tenant picker above GraphiQL, wired to AppSync.
import "graphiql/style.css";
import "./playground.css";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { createElement as h, useMemo, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { CONFIG_PATH, type PlaygroundConfig, type PlaygroundTenant } from "../config";
import { createAppSyncFetcher } from "./fetcher";
import { createLiveStore, LivePanel } from "./live";
import { subscribeRealtime } from "./realtime";
import { setupMonacoWorkers } from "./workers";

const TENANT_KEY = "payrail.playground.tenant";
// GraphiQL's own key for its saved tabs (namespace "graphiql", key "tabState").
const GRAPHIQL_TABS_KEY = "graphiql:tabState";

setupMonacoWorkers(new URL(".", import.meta.url).href);

function initialTenant(config: PlaygroundConfig): PlaygroundTenant | undefined {
  const remembered = localStorage.getItem(TENANT_KEY);
  const byId = (id: string | null | undefined) => config.tenants.find((tenant) => tenant.id === id);
  return byId(remembered) ?? byId(config.defaultTenantId) ?? config.tenants[0];
}

function realtimeUrl(path: string): string {
  const url = new URL(path, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

function LiveIcon() {
  return h(
    "svg",
    { viewBox: "0 0 24 24", width: 24, height: 24, fill: "none", stroke: "currentColor", strokeWidth: 1.5 },
    h("circle", { cx: 12, cy: 12, r: 3 }),
    h("path", { d: "M6.3 6.3a8 8 0 0 0 0 11.4M17.7 6.3a8 8 0 0 1 0 11.4" }),
  );
}

function Playground({ config }: { config: PlaygroundConfig }) {
  const [tenant, setTenant] = useState(() => initialTenant(config));
  // The fetcher reads the tenant at request time, so it stays stable and GraphiQL keeps its schema.
  const tenantRef = useRef(tenant);
  tenantRef.current = tenant;
  const { fetcher, plugins } = useMemo(() => {
    const httpUrl = new URL(config.graphqlPath, location.href).href;
    const wsUrl = realtimeUrl(config.realtimePath);
    const live = createLiveStore((query, sink) => {
      const current = tenantRef.current;
      const authorization = { host: new URL(httpUrl).host, Authorization: current?.token ?? "" };
      const stop = subscribeRealtime({ url: wsUrl, authorization, query }, sink);
      return { stop, tenant: current?.id ?? "(none)" };
    });
    const liveQuery = config.examples.find((tab) => /^\s*subscription\b/m.test(tab.query))?.query ?? "";
    return {
      fetcher: createAppSyncFetcher({
        httpUrl,
        realtimeUrl: wsUrl,
        token: () => tenantRef.current?.token ?? "",
      }),
      plugins: [
        HISTORY_PLUGIN,
        {
          title: "Live updates",
          icon: LiveIcon,
          content: () => h(LivePanel, { store: live, defaultQuery: liveQuery }),
        },
      ],
    };
  }, [config]);

  const pick = (id: string) => {
    const next = config.tenants.find((candidate) => candidate.id === id);
    setTenant(next);
    if (next) localStorage.setItem(TENANT_KEY, next.id);
  };

  const bar = h(
    "header",
    { className: "payrail-bar" },
    h("strong", null, "Payrail playground"),
    h(
      "label",
      null,
      "Tenant ",
      h(
        "select",
        {
          id: "tenant-picker",
          value: tenant?.id ?? "",
          onChange: (event: { target: { value: string } }) => pick(event.target.value),
        },
        config.tenants.map((option) => h("option", { key: option.id, value: option.id }, option.name)),
      ),
    ),
    h("code", { className: "payrail-endpoint" }, `POST ${config.graphqlPath} · WS ${config.realtimePath}`),
  );

  return h(
    "div",
    { className: "payrail-playground" },
    bar,
    h(
      "div",
      { className: "payrail-graphiql" },
      h(GraphiQL, {
        fetcher,
        plugins,
        defaultTabs: config.examples,
        // GraphiQL opens the first default tab without its variables; hand them over on a first visit.
        initialVariables:
          localStorage.getItem(GRAPHIQL_TABS_KEY) === null ? config.examples[0]?.variables : undefined,
        defaultEditorToolsVisibility: "variables",
      }),
    ),
  );
}

async function main() {
  const root = document.getElementById("root");
  if (!root) throw new Error("playground page has no #root");
  const config = (await (await fetch(CONFIG_PATH)).json()) as PlaygroundConfig;
  createRoot(root).render(h(Playground, { config }));
}

main().catch((error: unknown) => {
  document.body.textContent = `Playground failed to start: ${String(error)}`;
});
