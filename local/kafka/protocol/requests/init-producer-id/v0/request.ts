import type { Reader } from "../../../reader";
import type { InitProducerIdRequest } from "../types";

/** InitProducerId Request (Version: 0..1) => transactional_id transaction_timeout_ms */
export const request = (r: Reader): InitProducerIdRequest => ({
  transactionalId: r.nullableString(),
  transactionTimeoutMs: r.int32(),
});
