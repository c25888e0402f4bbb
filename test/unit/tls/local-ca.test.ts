import { X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer as createHttpsServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalTls, ensureLocalTls, type LocalTls } from "../../../local/tls/local-ca";

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "payrail-tls-"));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** GETs `/` over HTTPS trusting only `ca`; resolves with the body or rejects with the TLS error. */
function getTrusting(port: number, host: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", servername: host === "127.0.0.1" ? undefined : host, port, ca, path: "/" },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve(body));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("local TLS certificates", () => {
  let tls: LocalTls;
  let port: number;
  let server: ReturnType<typeof createHttpsServer>;

  beforeAll(async () => {
    tls = await ensureLocalTls(await tempDir());
    server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (_req, res) =>
      res.end("hello over tls"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("serves HTTPS that a client trusting only the generated CA accepts for 127.0.0.1", async () => {
    await expect(getTrusting(port, "127.0.0.1", tls.caCertPem)).resolves.toBe("hello over tls");
  });

  it("is accepted for the localhost name too", async () => {
    await expect(getTrusting(port, "localhost", tls.caCertPem)).resolves.toBe("hello over tls");
  });

  it("is rejected by a client that trusts a different CA", async () => {
    const other = await ensureLocalTls(await tempDir());
    await expect(getTrusting(port, "127.0.0.1", other.caCertPem)).rejects.toThrow(/certificate/i);
  });

  it("issues a leaf certificate (not a CA) signed by the CA, and a CA limited to signing", () => {
    const leaf = new X509Certificate(tls.certPem);
    const ca = new X509Certificate(tls.caCertPem);
    expect(leaf.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
  });

  it("writes PEM files at the exported paths, private keys readable by the owner only", async () => {
    expect(await readFile(tls.caCertPath, "utf8")).toBe(tls.caCertPem);
    expect(await readFile(tls.certPath, "utf8")).toBe(tls.certPem);
    expect(await readFile(tls.keyPath, "utf8")).toBe(tls.keyPem);
    expect((await stat(tls.keyPath)).mode & 0o077).toBe(0);
    expect((await stat(tls.caKeyPath)).mode & 0o077).toBe(0);
  });
});

describe("reuse across starts", () => {
  it("returns the same CA and server certificate on a later start", async () => {
    const dir = await tempDir();
    const first = await ensureLocalTls(dir);
    const second = await ensureLocalTls(dir);
    expect(second.caCertPem).toBe(first.caCertPem);
    expect(second.certPem).toBe(first.certPem);
    expect(second.keyPem).toBe(first.keyPem);
  });

  it("keeps the CA but re-issues the server certificate when it is close to expiry", async () => {
    const dir = await tempDir();
    const first = await ensureLocalTls(dir);
    const later = await ensureLocalTls(dir, { now: new Date(Date.now() + 395 * 86_400_000) });
    expect(later.caCertPem).toBe(first.caCertPem);
    expect(later.certPem).not.toBe(first.certPem);
    expect(new X509Certificate(later.certPem).verify(new X509Certificate(first.caCertPem).publicKey)).toBe(
      true,
    );
  });

  it("re-issues the server certificate when a new host is asked for", async () => {
    const dir = await tempDir();
    const first = await ensureLocalTls(dir);
    const wider = await ensureLocalTls(dir, { hosts: ["localhost", "127.0.0.1", "payrail.test"] });
    expect(wider.caCertPem).toBe(first.caCertPem);
    expect(new X509Certificate(wider.certPem).checkHost("payrail.test")).toBe("payrail.test");
  });

  it("replaces an unreadable server certificate instead of failing", async () => {
    const dir = await tempDir();
    const first = await ensureLocalTls(dir);
    await writeFile(first.certPath, "not a certificate");
    const repaired = await ensureLocalTls(dir);
    expect(repaired.caCertPem).toBe(first.caCertPem);
    expect(new X509Certificate(repaired.certPem).checkIP("127.0.0.1")).toBe("127.0.0.1");
  });
});

describe("large certificates", () => {
  it("issues a certificate over 0xffff DER bytes (many long SANs) that node's TLS accepts", async () => {
    // The broker's former hand-written DER encoder stopped at two length bytes (0xffff).
    const hosts = [
      "localhost",
      "127.0.0.1",
      ...Array.from({ length: 1500 }, (_, i) => `tenant-${i}.a-rather-long-local-subdomain.payrail.test`),
    ];
    const tls = await createLocalTls({ hosts });
    const cert = new X509Certificate(tls.certPem);
    expect(cert.raw.length).toBeGreaterThan(0xffff);
    const last = hosts[hosts.length - 1];
    expect(cert.checkHost(last)).toBe(last);

    const server = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (_req, res) => res.end("big"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(getTrusting(port, last, tls.caCertPem)).resolves.toBe("big");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
