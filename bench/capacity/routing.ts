// Where a payment's records land, by core's own partitioner, for a payment type whose range
// is resized to `partitions` (to ask what a larger range would do).
import type { Ordering, PipelineConfig } from "../../core/config";
import type { PaymentType } from "../../core/generated/graphql";
import { partitionFor, partitionKey } from "../../core/partitioning";

/** Index inside the type's range (0..partitions-1) of a payment's records. */
export function router(
  pipeline: PipelineConfig,
  paymentType: PaymentType,
  partitions: number,
  ordering: Ordering,
): (tenantId: string, paymentId: string) => number {
  const resized: PipelineConfig = { ...pipeline, partitions: [{ paymentType, first: 0, count: partitions }] };
  return (tenantId, paymentId) =>
    partitionFor(paymentType, partitionKey(ordering, tenantId, paymentId), resized);
}

/**
 * Offered payments/s per partition when tenants keep one partition each (ordering=tenant);
 * with ordering=payment every tenant spreads evenly over the range.
 */
export function offeredPerPartition(
  route: (tenantId: string, paymentId: string) => number,
  ordering: Ordering,
  tenants: { id: string; rate: number }[],
  partitions: number,
): number[] {
  const offered = new Array<number>(partitions).fill(0);
  for (const tenant of tenants) {
    if (ordering === "payment") for (let p = 0; p < partitions; p++) offered[p] += tenant.rate / partitions;
    else offered[route(tenant.id, "")] += tenant.rate;
  }
  return offered;
}

/** How many tenants send records to each partition (all of them with ordering=payment). */
export function tenantsPerPartition(
  route: (tenantId: string, paymentId: string) => number,
  ordering: Ordering,
  tenants: { id: string }[],
  partitions: number,
): number[] {
  if (ordering === "payment") return new Array<number>(partitions).fill(tenants.length);
  const sharing = new Array<number>(partitions).fill(0);
  for (const tenant of tenants) sharing[route(tenant.id, "")]++;
  return sharing;
}
