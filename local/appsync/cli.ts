// `tsx local/appsync/cli.ts [--port 20002] [--tls] [--api-key KEY]... [--dynamodb-endpoint URL]`
// Runs the Payrail API in the emulator until Ctrl-C. IAM credentials and the OIDC issuer
// come from the environment (see docs/appsync.md).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { apiPath, payrailApi } from "../../api/definition";
import { ensureLocalTls } from "../tls/local-ca";
import { startAppSyncEmulator } from "./emulator";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: process.env.PAYRAIL_APPSYNC_HOST ?? "127.0.0.1" },
    port: { type: "string", default: process.env.PAYRAIL_APPSYNC_PORT ?? "20002" },
    tls: { type: "boolean", default: false },
    "api-key": { type: "string", multiple: true, default: [] },
    "dynamodb-endpoint": { type: "string", default: process.env.PAYRAIL_DYNAMODB_ENDPOINT },
    "keep-alive-ms": { type: "string", default: "60000" },
  },
});

const env = process.env;
const oidc =
  env.PAYRAIL_OIDC_ISSUER && env.PAYRAIL_OIDC_JWKS_FILE
    ? {
        issuer: env.PAYRAIL_OIDC_ISSUER,
        jwks: JSON.parse(await readFile(env.PAYRAIL_OIDC_JWKS_FILE, "utf8")),
        clientId: env.PAYRAIL_OIDC_CLIENT_ID,
      }
    : undefined;
const iamCredentials =
  env.PAYRAIL_IAM_ACCESS_KEY_ID && env.PAYRAIL_IAM_SECRET_ACCESS_KEY
    ? [{ accessKeyId: env.PAYRAIL_IAM_ACCESS_KEY_ID, secretAccessKey: env.PAYRAIL_IAM_SECRET_ACCESS_KEY }]
    : [];
const tls = values.tls
  ? await ensureLocalTls(join(apiPath(payrailApi, ".payrail"), "tls"), { hosts: ["localhost", values.host] })
  : undefined;

const emulator = await startAppSyncEmulator({
  api: payrailApi,
  host: values.host,
  port: Number(values.port),
  dynamodbEndpoint: values["dynamodb-endpoint"],
  apiKeys: values["api-key"],
  oidc,
  iamCredentials,
  keepAliveMs: Number(values["keep-alive-ms"]),
  tls: tls ? { key: tls.keyPem, cert: tls.certPem } : undefined,
});

console.error(`AppSync emulator: ${emulator.url}  real-time: ${emulator.realtimeUrl}`);
if (emulator.tls)
  console.error(`TLS (trust ${tls?.caCertPath}): ${emulator.tls.url}  ${emulator.tls.realtimeUrl}`);

const stop = () => {
  emulator.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
