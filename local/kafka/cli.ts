import { parseArgs } from "node:util";
import { startBroker } from "./broker";
import { jsonLogger } from "./logger";

const USAGE = `usage: payrail-kafka [--port 9092] [--host 127.0.0.1] [--data-dir .payrail/kafka] [--memory]
                     [--auto-create-topics] [--default-partitions 1]`;

/** `payrail-kafka`: the broker as a process; SIGINT/SIGTERM stop it cleanly. */
export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string", default: process.env.PAYRAIL_KAFKA_PORT ?? "9092" },
      host: { type: "string", default: "127.0.0.1" },
      "data-dir": { type: "string", default: ".payrail/kafka" },
      memory: { type: "boolean", default: false },
      "auto-create-topics": { type: "boolean", default: false },
      "default-partitions": { type: "string", default: "1" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const logger = jsonLogger();
  const broker = await startBroker({
    host: values.host,
    port: Number(values.port),
    dataDir: values["data-dir"],
    memory: values.memory,
    autoCreateTopics: values["auto-create-topics"],
    defaultPartitions: Number(values["default-partitions"]),
    logger,
  });
  // Machine-readable readiness line on stdout (tests and scripts wait for it).
  process.stdout.write(`${JSON.stringify({ listening: `${broker.host}:${broker.port}` })}\n`);
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
