import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

// A self-signed certificate for the optional TLS listener, built with node:crypto alone (the
// broker depends on node only): a minimal DER encoder for one X.509 v3 certificate.

const DAY_MS = 86_400_000;
const LIFETIME_DAYS = 397;

const length = (n: number) =>
  n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
const der = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...parts: Buffer[]) => der(0x30, ...parts);
const set = (...parts: Buffer[]) => der(0x31, ...parts);
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};
const utcTime = (d: Date) => der(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, "")}Z`));
const name = (cn: string) => seq(set(seq(oid("2.5.4.3"), der(0x0c, Buffer.from(cn)))));
const ECDSA_SHA256 = seq(oid("1.2.840.10045.4.3.2"));

/** A self-signed P-256 certificate for `hosts` (DNS names or IPv4 addresses). */
export function selfSignedCertificate(
  hosts: string[],
  now = new Date(),
): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const altNames = hosts.map((h) =>
    /^\d+\.\d+\.\d+\.\d+$/.test(h)
      ? der(0x87, Buffer.from(h.split(".").map(Number)))
      : der(0x82, Buffer.from(h)),
  );
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // positive INTEGER
  const tbs = seq(
    der(0xa0, der(0x02, Buffer.from([2]))), // v3
    der(0x02, serial),
    ECDSA_SHA256,
    name("payrail-kafka"),
    seq(utcTime(new Date(now.getTime() - DAY_MS)), utcTime(new Date(now.getTime() + LIFETIME_DAYS * DAY_MS))),
    name("payrail-kafka"),
    publicKey.export({ type: "spki", format: "der" }),
    der(0xa3, seq(seq(oid("2.5.29.17"), der(0x04, seq(...altNames))))),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = seq(tbs, ECDSA_SHA256, der(0x03, Buffer.from([0]), signature));
  const lines = cert.toString("base64").match(/.{1,64}/g) ?? [];
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/**
 * The listener's certificate under `dir`: created at first start, reused while it is valid
 * for another day and covers `hosts`, replaced otherwise.
 */
export async function ensureCertificate(
  dir: string,
  hosts: string[],
): Promise<{ certPem: string; keyPem: string }> {
  const certPath = join(dir, "kafka-cert.pem");
  const keyPath = join(dir, "kafka-key.pem");
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
    const cert = new X509Certificate(certPem);
    const fresh = new Date(cert.validTo).getTime() > Date.now() + DAY_MS;
    const covers = hosts.every((h) => cert.checkHost(h) !== undefined || cert.checkIP(h) !== undefined);
    if (fresh && covers && cert.checkPrivateKey(createPrivateKey(keyPem))) return { certPem, keyPem };
  } catch {
    // Missing or unreadable: make a new one.
  }
  const created = selfSignedCertificate(hosts);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, created.keyPem, { mode: 0o600 });
  await writeFile(certPath, created.certPem);
  return created;
}
