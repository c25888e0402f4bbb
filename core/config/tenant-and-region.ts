// A tenant's config and its region's, as risk and execution need them; a tenant missing
// from config is an error for that record (it goes to the DLQ after retries).
import type { PayrailConfig, RegionConfig, TenantConfig } from ".";

export function tenantAndRegion(
  config: PayrailConfig,
  tenantId: string,
): { tenant: TenantConfig; region: RegionConfig } {
  const tenant = config.tenants.get(tenantId);
  const region = tenant && config.regions.get(tenant.region);
  if (!tenant || !region) throw new Error(`tenant ${tenantId} has no config`);
  return { tenant, region };
}
