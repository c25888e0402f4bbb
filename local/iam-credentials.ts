// The local stack's IAM key pair, with which the status service signs publishPaymentUpdate
// and the AppSync emulator checks it: made at random at the first start of a data dir and
// kept there readable by its owner only (0600), so no other data dir, and nothing on the
// machine that cannot read the file, can sign updates for any tenant.
import { randomBytes } from "node:crypto";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { IamCredential } from "./appsync/auth/iam";

export const IAM_CREDENTIALS_FILE = "iam-credentials.json";

/** A fresh key pair shaped like AWS's (AKIA + 16, 40 characters of secret). */
export function newIamCredential(): IamCredential {
  const id = randomBytes(10).toString("hex").toUpperCase().slice(0, 16);
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString("base64url") };
}

/** The data dir's key pair, made on first use; with no dir (in-memory stack) a fresh one per start. */
export async function localIamCredential(dataDir: string | undefined): Promise<IamCredential> {
  if (!dataDir) return newIamCredential();
  const file = join(dataDir, IAM_CREDENTIALS_FILE);
  try {
    const stored = JSON.parse(await readFile(file, "utf8")) as IamCredential;
    await chmod(file, 0o600);
    return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const credential = newIamCredential();
  // "wx": two starts racing on one dir cannot overwrite each other's key; the loser reads it.
  try {
    await writeFile(file, JSON.stringify(credential), { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return localIamCredential(dataDir);
    throw error;
  }
  return credential;
}
