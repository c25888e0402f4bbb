import { responseWith } from "../v0/response";

/**
 * DescribeConfigs Response (Version: 1..2): configs => name value read_only config_source is_sensitive [synonyms]
 * Synonyms are always sent empty.
 */
export const response = responseWith((w, c) => {
  w.string(c.name).nullableString(c.value).boolean(c.readOnly).int8(c.configSource).boolean(c.isSensitive);
  w.int32(0);
});
