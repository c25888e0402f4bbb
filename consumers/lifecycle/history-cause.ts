// The event an API action follows: the one that set the payment's current state.
import type { EventEnvelope } from "../../core/events";
import type { PaymentRecord } from "../persistence/ports/payments";
import type { TenantStores } from "../persistence/stores";

export async function currentCause(stores: TenantStores, payment: PaymentRecord): Promise<EventEnvelope> {
  const cause = (await stores.history.list(payment.paymentId)).find(
    (event) => event.sequence === payment.sequence,
  );
  if (!cause) throw new Error(`history of ${payment.paymentId} lacks sequence ${payment.sequence}`);
  return cause;
}
