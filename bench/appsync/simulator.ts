// The same benchmark API on @aws-amplify/amplify-appsync-simulator, with VTL resolvers
// equivalent to fixture/hello.ts and fixture/echo-args.ts.
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer } from "node:net";
import {
  AmplifyAppSyncSimulator,
  AmplifyAppSyncSimulatorAuthenticationType,
  RESOLVER_KIND,
} from "@aws-amplify/amplify-appsync-simulator";

export const BENCH_API_KEY = "da2-payrailbenchkey000000000";

const HELLO_REQUEST = `{"version": "2018-05-29", "payload": {"name": $util.toJson($ctx.args.name)}}`;
const HELLO_RESPONSE = `$util.toJson("Hello, \${ctx.result.name}!")`;
const ECHO_REQUEST = `{"version": "2018-05-29", "payload": $util.toJson($ctx.args)}`;
const ECHO_RESPONSE = "$util.toJson($ctx.result)";

export async function startSimulator(): Promise<{ url: string; stop: () => Promise<void> }> {
  const schema = await readFile(new URL("./fixture/schema.graphql", import.meta.url), "utf8");
  // The simulator picks ports from 8900 up and binds every interface; hand it a free
  // ephemeral port and pin its listener to 127.0.0.1 instead.
  const port = await freePort();
  const simulator = new AmplifyAppSyncSimulator({ port });
  simulator.init({
    schema: { content: schema },
    appSync: {
      name: "payrail-bench",
      apiKey: BENCH_API_KEY,
      defaultAuthenticationType: { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.API_KEY },
      additionalAuthenticationProviders: [],
    },
    dataSources: [{ name: "none", type: "NONE" }],
    resolvers: [
      {
        kind: RESOLVER_KIND.UNIT,
        typeName: "Query",
        fieldName: "hello",
        dataSourceName: "none",
        requestMappingTemplate: HELLO_REQUEST,
        responseMappingTemplate: HELLO_RESPONSE,
      },
      {
        kind: RESOLVER_KIND.UNIT,
        typeName: "Mutation",
        fieldName: "tick",
        dataSourceName: "none",
        requestMappingTemplate: ECHO_REQUEST,
        responseMappingTemplate: ECHO_RESPONSE,
      },
    ],
  });
  const httpServer = (simulator as unknown as { _server: { _httpServer: Server } })._server._httpServer;
  const listen = httpServer.listen.bind(httpServer) as (port: number, host: string) => Server;
  httpServer.listen = ((p: number) => listen(p, "127.0.0.1")) as typeof httpServer.listen;
  await simulator.start();
  return { url: `http://127.0.0.1:${port}/graphql`, stop: () => simulator.stop() };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}
