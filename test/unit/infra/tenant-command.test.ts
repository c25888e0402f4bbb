// `payrail tenant create --deploy` checks the AWS names the new tenant would get before it
// writes anything, so a tenant id too long for the env is refused with nothing left behind.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tenantCommand } from "../../../bin/tenant-command";
import { NameLimitError } from "../../../infra/name-limits";

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function configCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "payrail-tenant-cmd-"));
  dirs.push(dir);
  await cp("config", join(dir, "config"), { recursive: true });
  return dir;
}

describe("payrail tenant create --deploy", () => {
  it("refuses a tenant whose AWS names would be too long, before writing its config", async () => {
    const dir = await configCopy();
    const lines: string[] = [];
    const create = tenantCommand(
      {
        action: "create",
        id: "northwind-traders-international1",
        region: "eu",
        deploy: true,
        envName: "abcdefghijkl",
        config: join(dir, "config"),
        data: join(dir, "no-stack"),
      },
      (line) => lines.push(line),
    );
    await expect(create).rejects.toThrow(NameLimitError);
    await expect(create).rejects.toThrow(
      /payrail-abcdefghijkl-northwind-traders-international1-payments-api/,
    );
    expect(await readdir(join(dir, "config", "tenants"))).not.toContain(
      "northwind-traders-international1.yaml",
    );
    expect(lines).toEqual([]);
  });

  it("writes the config of a tenant whose names fit when not deploying", async () => {
    const dir = await configCopy();
    const lines: string[] = [];
    const code = await tenantCommand(
      {
        action: "create",
        id: "initech",
        region: "eu",
        deploy: false,
        config: join(dir, "config"),
        data: join(dir, "no-stack"),
      },
      (line) => lines.push(line),
    );
    expect(code).toBe(0);
    expect(await readdir(join(dir, "config", "tenants"))).toContain("initech.yaml");
  });
});
