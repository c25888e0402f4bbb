// HTTP data source: { method, resourcePath, params: { query, headers, body } } sent to
// the data source's endpoint; the result is { statusCode, headers, body } as in AppSync.
import { DataSourceError } from "../runtime/errors";

type HttpRequest = {
  method?: string;
  resourcePath?: string;
  params?: { query?: Record<string, string>; headers?: Record<string, string>; body?: unknown };
};

export function createHttpInvoker(endpoint: string) {
  return async (request: unknown): Promise<unknown> => {
    const { method = "GET", resourcePath = "/", params = {} } = (request ?? {}) as HttpRequest;
    const url = new URL(resourcePath, endpoint);
    for (const [k, v] of Object.entries(params.query ?? {})) url.searchParams.set(k, v);
    const body =
      params.body === undefined || typeof params.body === "string"
        ? params.body
        : JSON.stringify(params.body);
    try {
      const response = await fetch(url, {
        method,
        headers: params.headers,
        body: body as string | undefined,
      });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return {
        statusCode: response.status,
        headers,
        body: await response.text(),
      };
    } catch (error) {
      throw new DataSourceError((error as Error).message, "HTTP:ConnectionError");
    }
  };
}
