export type LogFields = Record<string, unknown>;

export type Logger = {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
};

/**
 * One JSON line per event on stderr. The broker serves every tenant, so tenantId is null;
 * correlationId is the connection (and Kafka request correlation id where there is one).
 */
export function jsonLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const line =
    (level: string) =>
    (msg: string, fields: LogFields = {}) => {
      stream.write(
        `${JSON.stringify({ time: new Date().toISOString(), level, component: "kafka", tenantId: null, correlationId: null, msg, ...fields })}\n`,
      );
    };
  return { info: line("info"), warn: line("warn"), error: line("error") };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
