import type { Reader } from "../../../reader";
import type { MetadataRequest } from "../types";

/** Metadata Request (Version: 0) => [topics] — an empty list means every topic. */
export const request = (r: Reader): MetadataRequest => {
  const topics = r.array((r) => r.string());
  return { topics: topics.length === 0 ? null : topics, allowAutoTopicCreation: true };
};
