import type { Writer } from "../../../writer";
import type { OffsetFetchResponse } from "../types";
import { response as v1 } from "../v1/response";

/** OffsetFetch Response (Version: 2) => [topics] error_code */
export const response = (w: Writer, res: OffsetFetchResponse) => {
  v1(w, res);
  w.int16(res.errorCode);
};
