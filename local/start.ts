// `npm start`: the whole of Payrail on this machine, in one process — Kafka-protocol
// broker, DynamoDB (dynalite), S3 (s3rver), the AppSync emulator with the API functions,
// and the event services (schema registry, event source mappings running the consumers,
// outbox relay, sweeper, webhook dispatcher) — with the demo tenants provisioned. The
// servers and the event services each run on a worker thread of their own (threads/),
// the API on this one, so that neither waits for the other's CPU.
// Endpoints and tokens are printed and written to `<data>/local.json`. Data lives in
// `<data>` (default `.payrail/`) unless `--memory`; `--ephemeral-ports` binds every server
// to a free port (tests). Ctrl-C stops everything cleanly. Every part gets the endpoints it
// talks to passed in (the API's Lambda functions a configuration of their own), never
// through process.env, so two stacks can run side by side in one process.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { payrailApi } from "../api/definition";
import { dynamoDbClient, s3Client } from "../consumers/platform/aws";
import { type CallTally, tallyDynamoDbCallsOfNewClients } from "../consumers/platform/call-counter";
import { kafkaClient } from "../consumers/platform/kafka-client";
import { loadConfig } from "../core/config";
import { retrying } from "../core/retry";
import { apiFunctions } from "./api-functions";
import { startAppSyncEmulator } from "./appsync/emulator";
import { createPlayground } from "./appsync/playground";
import { ensurePipelineTopics } from "./esm/topics";
import { localIamCredential } from "./iam-credentials";
import { disabledTenantLine, provisionTenant } from "./provisioning";
import { parseStartArgs, START_HELP, UsageError } from "./start-args";
import {
  startBrokerThread,
  startDynamoDbThread,
  startEventServicesThread,
  startS3Thread,
} from "./threads/servers";
import { ensureLocalTls } from "./tls/local-ca";

export const ENV = "local";
const REGION = "eu-west-1";

export type Ports = { graphql: number; kafka: number; dynamodb: number; s3: number };

export type LocalStackOptions = {
  dataDir: string;
  memory: boolean;
  ports: Ports;
  configDir: string;
  /** How long an initiation holds its idempotency key, and the outbox relay's minimum age (default 30 s). */
  inProgressMs?: number;
  /**
   * A bank rail's refund settlement day, fast-forwarded to this (default 10 s;
   * `PAYRAIL_REFUND_SETTLEMENT_MS`); null keeps config/processors.yaml's delay.
   */
  refundSettlementMs?: number | null;
  /** Count every DynamoDB call of the stack by operation, for `dynamoDbCalls()` (bench/pipeline). */
  countDynamoDbCalls?: boolean;
};

const LOCAL_REFUND_SETTLEMENT_MS = 10_000;

export type LocalStackInfo = {
  endpoints: {
    graphql: string;
    realtime: string;
    /** The same API over TLS (Amplify always uses wss://); trust `tlsCa` to use it. */
    graphqlTls: string;
    realtimeTls: string;
    tlsCa: string;
    playground: string;
    kafka: string;
    dynamodb: string;
    s3: string;
  };
  tenants: Record<string, { region: string; bucket: string; apiToken: string }>;
  pid: number;
  /** The local servers' threads in /proc/<pid>/task (Linux), for bench/pipeline's CPU split. */
  serverThreads: Record<string, number | undefined>;
  /** The event services' thread in /proc/<pid>/task (the API's is the process's main thread). */
  eventServicesThread: number | undefined;
  readyMs: number;
};

export type LocalStack = {
  info: LocalStackInfo;
  /** The calls counted so far on every thread, by operation (empty unless `countDynamoDbCalls`). */
  dynamoDbCalls(): Promise<CallTally>;
  stop(): Promise<void>;
};

const DEFAULT_PORTS: Ports = { graphql: 20002, kafka: 9092, dynamodb: 8000, s3: 4569 };

export function portsFromEnv(env: NodeJS.ProcessEnv, ephemeral: boolean): Ports {
  const port = (name: string, fallback: number) => (ephemeral ? 0 : Number(env[name] ?? fallback));
  return {
    graphql: port("PAYRAIL_GRAPHQL_PORT", DEFAULT_PORTS.graphql),
    kafka: port("PAYRAIL_KAFKA_PORT", DEFAULT_PORTS.kafka),
    dynamodb: port("PAYRAIL_DYNAMODB_PORT", DEFAULT_PORTS.dynamodb),
    s3: port("PAYRAIL_S3_PORT", DEFAULT_PORTS.s3),
  };
}

/** Right after a crash s3rver may answer a first request with an error; ask again. */
const withRetries = <T>(work: () => Promise<T>): Promise<T> =>
  retrying(work, { maxAttempts: 4, baseMs: 250, capMs: 2000 });

type Stoppable = { stop(): Promise<void> };

/**
 * Like Promise.all, but waits for every server to start or fail, so that when one fails
 * the others are already in `stops` and are stopped with the rest.
 */
async function startAll<T extends readonly Promise<Stoppable>[]>(
  stops: (() => Promise<void>)[],
  servers: readonly [...T],
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(servers);
  for (const result of results) {
    if (result.status === "fulfilled") stops.push(() => result.value.stop());
  }
  for (const result of results) {
    if (result.status === "rejected") throw result.reason;
  }
  return results.map((result) => (result as PromiseFulfilledResult<Stoppable>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

async function previousTokens(file: string): Promise<Record<string, string>> {
  try {
    const info = JSON.parse(await readFile(file, "utf8")) as LocalStackInfo;
    return Object.fromEntries(Object.entries(info.tenants).map(([id, t]) => [id, t.apiToken]));
  } catch {
    return {};
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const started = performance.now();
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  const calls = options.countDynamoDbCalls ? tallyDynamoDbCallsOfNewClients() : undefined;
  try {
    const dir = (name: string) => (options.memory ? undefined : join(options.dataDir, name));
    if (!options.memory) await mkdir(options.dataDir, { recursive: true });
    const config = await loadConfig(options.configDir);

    // The broker, dynalite and s3rver each run on a worker thread of their own (see
    // local/threads/), so that their CPU is not this thread's.
    const [broker, dynamo, s3] = await startAll(stops, [
      startBrokerThread({
        port: options.ports.kafka,
        memory: options.memory,
        dataDir: dir("kafka"),
        logger: "silent",
      }),
      startDynamoDbThread({ port: options.ports.dynamodb, path: dir("dynamodb") }),
      startS3Thread({ port: options.ports.s3, directory: dir("s3") }),
    ]);
    if (s3.removedTornObjects.length > 0) {
      console.log(`S3: removed ${s3.removedTornObjects.length} object(s) a crash left half-written`);
    }
    const bootstrap = `127.0.0.1:${broker.port}`;
    const inProgressMs = options.inProgressMs ?? 30_000;

    const kafka = kafkaClient({ brokers: [bootstrap], clientId: "payrail-local" });
    const target = {
      env: ENV,
      dynamodb: dynamoDbClient({ endpoint: dynamo.endpoint }),
      s3: s3Client({ endpoint: s3.endpoint }),
    };
    const tokens = options.memory ? {} : await previousTokens(join(options.dataDir, "local.json"));
    const [, ...reconciled] = await Promise.all([
      ensurePipelineTopics(kafka, config.pipeline),
      ...[...config.tenants.values()].map((tenant) =>
        withRetries(() =>
          provisionTenant(tenant, target, {
            ...(tokens[tenant.id] ? { apiToken: tokens[tenant.id] } : {}),
            upgradeDir: dir("dynamodb-upgrade"),
          }),
        ).then((result) => ({ tenant, result })),
      ),
    ]);
    // A tenant deleted with `payrail tenant delete` whose YAML is still here: one line, no failure.
    for (const { tenant, result } of reconciled) {
      if (result.disabledAt) console.log(disabledTenantLine(tenant.id, result.disabledAt));
    }
    const provisioned = reconciled.filter(({ result }) => !result.disabledAt);
    const apiTokens = Object.fromEntries(
      provisioned.map(({ tenant, result }) => [tenant.id, result.apiToken ?? tokens[tenant.id] ?? ""]),
    );
    const tls = await ensureLocalTls(
      options.memory ? join(tmpdir(), "payrail-local-tls") : join(options.dataDir, "tls"),
    );
    const iamCredential = await localIamCredential(options.memory ? undefined : options.dataDir);
    // The API's Lambda functions, configured as the CDK app configures the deployed ones.
    const functions = apiFunctions({
      PAYRAIL_ENV: ENV,
      PAYRAIL_CONFIG_DIR: options.configDir,
      KAFKA_BROKERS: bootstrap,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      PAYRAIL_IN_PROGRESS_MS: String(inProgressMs),
    });
    stops.push(() => functions.stop());
    const emulator = await startAppSyncEmulator({
      api: payrailApi,
      port: options.ports.graphql,
      dynamodbEndpoint: dynamo.endpoint,
      handlers: functions.handlers,
      iamCredentials: [iamCredential],
      tls: { key: tls.keyPem, cert: tls.certPem },
      // Requests are logged by the handlers with tenant and correlation ids; only failures here.
      logger: (line) => {
        if (line.level === "error") process.stderr.write(`${JSON.stringify(line)}\n`);
      },
      playground: createPlayground({
        tenants: [...config.tenants.values()].map((t) => ({
          id: t.id,
          name: t.name,
          token: apiTokens[t.id] ?? "",
        })),
      }),
    });
    stops.push(() => emulator.stop());
    // The consumers, outbox relay, sweeper and webhook dispatcher, off this thread.
    const events = await startEventServicesThread({
      env: ENV,
      region: REGION,
      configDir: options.configDir,
      refundSettlementMs:
        options.refundSettlementMs === undefined ? LOCAL_REFUND_SETTLEMENT_MS : options.refundSettlementMs,
      bootstrap,
      endpoints: { dynamodb: dynamo.endpoint, s3: s3.endpoint, graphql: emulator.url },
      iamCredential,
      ...(options.memory ? {} : { dataDir: options.dataDir }),
      inProgressMs,
      realLatency: process.env.PAYRAIL_SANDBOX_LATENCY === "real",
      ...(process.env.PAYRAIL_PROCESSOR_TIMEOUT_MS
        ? { processorCallTimeoutMs: Number(process.env.PAYRAIL_PROCESSOR_TIMEOUT_MS) }
        : {}),
      countDynamoDbCalls: calls !== undefined,
    });
    stops.push(() => events.stop());

    const info: LocalStackInfo = {
      endpoints: {
        graphql: emulator.url,
        realtime: emulator.realtimeUrl,
        graphqlTls: emulator.tls?.url ?? "",
        realtimeTls: emulator.tls?.realtimeUrl ?? "",
        tlsCa: tls.caCertPath,
        playground: emulator.url.replace(/\/graphql$/, "/"),
        kafka: bootstrap,
        dynamodb: dynamo.endpoint,
        s3: s3.endpoint,
      },
      tenants: Object.fromEntries(
        provisioned.map(({ tenant, result }) => [
          tenant.id,
          {
            region: tenant.region,
            bucket: result.bucket,
            apiToken: apiTokens[tenant.id] || "(issued earlier; see a previous local.json)",
          },
        ]),
      ),
      pid: process.pid,
      serverThreads: { kafka: broker.osThreadId, dynamodb: dynamo.osThreadId, s3: s3.osThreadId },
      eventServicesThread: events.osThreadId,
      readyMs: Math.round(performance.now() - started),
    };
    const dynamoDbCalls = async (): Promise<CallTally> => {
      const theirs = ((await events.report()) ?? {}) as CallTally;
      const all: CallTally = { ...calls };
      for (const [operation, n] of Object.entries(theirs)) all[operation] = (all[operation] ?? 0) + n;
      return all;
    };
    return { info, dynamoDbCalls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function main() {
  const args = parseStartArgs(process.argv.slice(2));
  if (args.help) {
    console.log(START_HELP);
    return;
  }
  const inProgress = process.env.PAYRAIL_IN_PROGRESS_MS;
  const settlement = process.env.PAYRAIL_REFUND_SETTLEMENT_MS;
  const countDynamoDbCalls = process.env.PAYRAIL_COUNT_DYNAMODB_CALLS === "1";
  const stack = await startLocalStack({
    dataDir: args.dataDir,
    memory: args.memory,
    configDir: args.configDir,
    ports: portsFromEnv(process.env, args.ephemeral),
    countDynamoDbCalls,
    ...(inProgress ? { inProgressMs: Number(inProgress) } : {}),
    ...(settlement ? { refundSettlementMs: settlement === "real" ? null : Number(settlement) } : {}),
  });
  const { info } = stack;
  // For bench/pipeline: SIGUSR2 prints the stack's DynamoDB calls so far by operation as one
  // line, `dynamodb calls {"PutItem":…}`.
  if (countDynamoDbCalls) {
    process.on("SIGUSR2", () => {
      stack.dynamoDbCalls().then(
        (calls) => console.log(`dynamodb calls ${JSON.stringify(calls)}`),
        (error: unknown) => console.error("dynamodb calls: not reported", error),
      );
    });
  }
  await mkdir(args.dataDir, { recursive: true });
  await writeFile(join(args.dataDir, "local.json"), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  const lines = [
    `Payrail local stack ready in ${info.readyMs} ms${args.memory ? " (in memory)" : ` (data in ${args.dataDir})`}`,
    `  GraphQL     ${info.endpoints.graphql}`,
    `  Real-time   ${info.endpoints.realtime}`,
    `  TLS         ${info.endpoints.graphqlTls} (CA ${info.endpoints.tlsCa})`,
    `  Playground  ${info.endpoints.playground}`,
    `  Kafka       ${info.endpoints.kafka}`,
    `  DynamoDB    ${info.endpoints.dynamodb}`,
    `  S3          ${info.endpoints.s3}`,
    ...Object.entries(info.tenants).map(([id, t]) => `  tenant ${id} (${t.region}) token ${t.apiToken}`),
    `  (also in ${join(args.dataDir, "local.json")}; Ctrl-C stops)`,
  ];
  console.log(lines.join("\n"));
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  });
}
