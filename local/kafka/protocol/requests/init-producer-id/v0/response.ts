import type { Writer } from "../../../writer";
import type { InitProducerIdResponse } from "../types";

/** InitProducerId Response (Version: 0..1) => throttle_time_ms error_code producer_id producer_epoch */
export const response = (w: Writer, res: InitProducerIdResponse) => {
  w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
};
