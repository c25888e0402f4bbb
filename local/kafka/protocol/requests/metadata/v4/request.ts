import type { Reader } from "../../../reader";
import type { MetadataRequest } from "../types";
import { request as v1 } from "../v1/request";

/** Metadata Request (Version: 4..6) => [topics] allow_auto_topic_creation */
export const request = (r: Reader): MetadataRequest => ({ ...v1(r), allowAutoTopicCreation: r.boolean() });
