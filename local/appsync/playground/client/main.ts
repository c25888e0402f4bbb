// Browser entry of the playground: a tenant picker above GraphiQL, wired to AppSync.
import "graphiql/style.css";
import "./playground.css";
import { GraphiQL } from "graphiql";
import { createElement as h, useMemo, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { CONFIG_PATH, type PlaygroundConfig, type PlaygroundTenant } from "../config";
import { createAppSyncFetcher } from "./fetcher";
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

function Playground({ config }: { config: PlaygroundConfig }) {
  const [tenant, setTenant] = useState(() => initialTenant(config));
  // The fetcher reads the token at request time, so it stays stable and GraphiQL keeps its schema.
  const tokenRef = useRef("");
  tokenRef.current = tenant?.token ?? "";
  const fetcher = useMemo(
    () =>
      createAppSyncFetcher({
        httpUrl: new URL(config.graphqlPath, location.href).href,
        realtimeUrl: realtimeUrl(config.realtimePath),
        token: () => tokenRef.current,
      }),
    [config],
  );

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
