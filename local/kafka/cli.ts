import { parseArgs } from "node:util";
import { DEFAULT_FLUSH_INTERVAL_MS, startBroker } from "./broker";
import { jsonLogger } from "./logger";
import type { FlushPolicy } from "./storage/types";

const USAGE = `usage: payrail-kafka [--port 9092] [--host 127.0.0.1] [--data-dir .payrail/kafka] [--memory]
                     [--flush interval|always] [--flush-interval-ms 1000]
                     [--auto-create-topics] [--default-partitions 1] [--tls-port 9094] [--tls-dir DIR]
SASL/PLAIN users come from PAYRAIL_KAFKA_SASL_USERS="user:password,..." (kept out of the process list).`;

/** "user:password,user2:password2" → users; empty or unset = SASL off. */
function saslUsers(spec: string | undefined): Record<string, string> | undefined {
  if (!spec) return undefined;
  const users = Object.fromEntries(
    spec.split(",").map((pair) => {
      const at = pair.indexOf(":");
      if (at <= 0)
        throw new Error("PAYRAIL_KAFKA_SASL_USERS must be user:password pairs separated by commas");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  return users;
}

/**
 * `--flush always`, or `--flush interval` and/or `--flush-interval-ms N`; neither = the
 * broker's default. (A bad interval is refused by the store.)
 */
export function flushPolicy(
  mode: string | undefined,
  intervalMs: string | undefined,
): FlushPolicy | undefined {
  if (mode !== undefined && mode !== "always" && mode !== "interval")
    throw new Error(`--flush must be "always" or "interval", got ${mode}`);
  if (mode === "always") {
    if (intervalMs !== undefined) throw new Error("--flush-interval-ms needs --flush interval");
    return { mode };
  }
  if (mode === "interval" || intervalMs !== undefined)
    return { mode: "interval", intervalMs: Number(intervalMs ?? DEFAULT_FLUSH_INTERVAL_MS) };
  return undefined;
}

/** `payrail-kafka`: the broker as a process; SIGINT/SIGTERM stop it cleanly. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: process.env.PAYRAIL_KAFKA_PORT ?? "9092" },
      host: { type: "string", default: "127.0.0.1" },
      "data-dir": { type: "string", default: ".payrail/kafka" },
      memory: { type: "boolean", default: false },
      flush: { type: "string" },
      "flush-interval-ms": { type: "string" },
      "auto-create-topics": { type: "boolean", default: false },
      "default-partitions": { type: "string", default: "1" },
      "tls-port": { type: "string" },
      "tls-dir": { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logger = jsonLogger();
  const users = saslUsers(process.env.PAYRAIL_KAFKA_SASL_USERS);
  const broker = await startBroker({
    host: values.host,
    port: Number(values.port),
    dataDir: values["data-dir"],
    memory: values.memory,
    flush: flushPolicy(values.flush, values["flush-interval-ms"]),
    autoCreateTopics: values["auto-create-topics"],
    defaultPartitions: Number(values["default-partitions"]),
    tls: values["tls-port"] ? { port: Number(values["tls-port"]), certDir: values["tls-dir"] } : undefined,
    sasl: users ? { plainUsers: users } : undefined,
    logger,
  });
  // Machine-readable readiness line on stdout (tests and scripts wait for it).
  const tls = broker.tlsPort ? { tls: `${broker.host}:${broker.tlsPort}` } : {};
  process.stdout.write(`${JSON.stringify({ listening: `${broker.host}:${broker.port}`, ...tls })}\n`);
  const shutdown = (signal: string) => {
    logger.info("signal received, stopping", { signal });
    broker.stop().then(
      () => process.exit(0),
      (err) => {
        logger.error("stop failed", { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
