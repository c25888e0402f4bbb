import type { Reader } from "../../../reader";
import type { MetadataRequest } from "../types";

/** Metadata Request (Version: 1..3) => [topics] — nullable: null means every topic, empty means none. */
export const request = (r: Reader): MetadataRequest => ({
  topics: r.nullableArray((r) => r.string()),
  allowAutoTopicCreation: true,
});
