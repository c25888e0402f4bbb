import type { Writer } from "../../../writer";
import type { DeleteTopicsResponse } from "../types";

/** DeleteTopics Response (Version: 0) => [responses]; responses => name error_code */
export const response = (w: Writer, res: DeleteTopicsResponse) => {
  w.array(res.responses, (w, t) => w.string(t.name).int16(t.errorCode));
};
