import type { Writer } from "../../../writer";
import type { CreateTopicsResponse } from "../types";

/** CreateTopics Response (Version: 1) => [topics]; topics => name error_code error_message */
export const response = (w: Writer, res: CreateTopicsResponse) => {
  w.array(res.topics, (w, t) => w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage));
};
