// The local cloud's one certificate authority, used by the AppSync emulator's HTTPS/WSS
// listener and the Kafka broker's TLS listener. Amplify always turns the AppSync endpoint
// into a wss:// URL, so an unmodified web app needs a certificate the browser trusts: we
// mint a CA once, the user trusts it once (docs/appsync-tls.md), and every later start reuses it.
import { X509Certificate as NodeX509, randomBytes, webcrypto } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

export type LocalTls = {
  dir: string;
  caCertPath: string;
  caKeyPath: string;
  certPath: string;
  keyPath: string;
  caCertPem: string;
  certPem: string;
  keyPem: string;
};

export type LocalTlsOptions = {
  /** Hostnames and IP addresses the server certificate must cover. */
  hosts?: string[];
  /** Clock used for validity windows; tests move it to exercise renewal. */
  now?: Date;
};

const DEFAULT_HOSTS = ["localhost", "127.0.0.1"];
const DAY_MS = 86_400_000;
const CA_LIFETIME_DAYS = 3650;
// Browsers (Apple's rule is the strictest) refuse leaf certificates valid longer than 825 days.
const SERVER_LIFETIME_DAYS = 397;
// Renew the server certificate a little before it lapses so a long-running emulator keeps working.
const RENEW_BEFORE_DAYS = 7;
const EC_KEY: EcKeyGenParams = { name: "ECDSA", namedCurve: "P-256" };
const SIGNING: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };

x509.cryptoProvider.set(webcrypto as Crypto);

/**
 * Returns the CA and a server certificate for `hosts` under `dir`, creating them on the
 * first call and reusing them afterwards. A CA is only ever replaced when it expired or
 * is unreadable, so the trust a user granted once keeps working; the server certificate
 * is re-issued whenever it lapses, no longer covers the hosts, or was signed by another CA.
 */
export async function ensureLocalTls(dir: string, options: LocalTlsOptions = {}): Promise<LocalTls> {
  const hosts = options.hosts ?? DEFAULT_HOSTS;
  const now = options.now ?? new Date();
  const paths = {
    caCertPath: join(dir, "ca.pem"),
    caKeyPath: join(dir, "ca-key.pem"),
    certPath: join(dir, "server.pem"),
    keyPath: join(dir, "server-key.pem"),
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });

  let ca = await readPair(paths.caCertPath, paths.caKeyPath);
  if (!ca || !isCurrent(ca.certPem, now)) {
    ca = await createCa(now);
    await writePair(paths.caCertPath, paths.caKeyPath, ca);
  }

  let server = await readPair(paths.certPath, paths.keyPath);
  if (!server || !serverCertFits(server.certPem, ca.certPem, hosts, now)) {
    server = await createServerCert(ca, hosts, now);
    await writePair(paths.certPath, paths.keyPath, server);
  }

  return { dir, ...paths, caCertPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
}

type PemPair = { certPem: string; keyPem: string };

/** A fresh CA and server certificate held in memory only (the broker's `--memory` mode). */
export async function createLocalTls(
  options: LocalTlsOptions = {},
): Promise<{ caCertPem: string; certPem: string; keyPem: string }> {
  const now = options.now ?? new Date();
  const ca = await createCa(now);
  const server = await createServerCert(ca, options.hosts ?? DEFAULT_HOSTS, now);
  return { caCertPem: ca.certPem, ...server };
}

async function readPair(certPath: string, keyPath: string): Promise<PemPair | undefined> {
  try {
    const [certPem, keyPem] = await Promise.all([readFile(certPath, "utf8"), readFile(keyPath, "utf8")]);
    new NodeX509(certPem); // throws on a truncated or foreign file, which we then replace
    return { certPem, keyPem };
  } catch {
    return undefined;
  }
}

async function writePair(certPath: string, keyPath: string, pair: PemPair): Promise<void> {
  await writeFile(keyPath, pair.keyPem, { mode: 0o600 });
  await writeFile(certPath, pair.certPem, { mode: 0o644 });
}

function isCurrent(certPem: string, now: Date, marginDays = 0): boolean {
  const cert = new NodeX509(certPem);
  const margin = marginDays * DAY_MS;
  return new Date(cert.validFrom) <= now && new Date(cert.validTo).getTime() - margin > now.getTime();
}

function serverCertFits(certPem: string, caCertPem: string, hosts: string[], now: Date): boolean {
  const cert = new NodeX509(certPem);
  const ca = new NodeX509(caCertPem);
  const coversHosts = hosts.every((host) => (isIp(host) ? cert.checkIP(host) : cert.checkHost(host)));
  return isCurrent(certPem, now, RENEW_BEFORE_DAYS) && coversHosts && cert.verify(ca.publicKey);
}

async function createCa(now: Date): Promise<PemPair> {
  const keys = await webcrypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=Payrail Local Development CA ${randomBytes(4).toString("hex")}, O=Payrail (local only)`,
    notBefore: daysFrom(now, -1),
    notAfter: daysFrom(now, CA_LIFETIME_DAYS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

async function createServerCert(ca: PemPair, hosts: string[], now: Date): Promise<PemPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await webcrypto.subtle.importKey(
    "pkcs8",
    x509.PemConverter.decodeFirst(ca.keyPem),
    EC_KEY,
    false,
    ["sign"],
  );
  const keys = await webcrypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts[0]}`,
    issuer: caCert.subject,
    notBefore: daysFrom(now, -1),
    notAfter: daysFrom(now, SERVER_LIFETIME_DAYS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        hosts.map((host) => ({ type: isIp(host) ? ("ip" as const) : ("dns" as const), value: host })),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await privateKeyPem(keys.privateKey) };
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", key);
  return `${x509.PemConverter.encode(pkcs8, "PRIVATE KEY")}\n`;
}

/** A positive 128-bit serial (top bit cleared so DER does not read it as negative). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString("hex");
}

function daysFrom(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

function isIp(host: string): boolean {
  return isIP(host) !== 0;
}
