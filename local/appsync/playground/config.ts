// What the playground page needs from the server, served as JSON at CONFIG_PATH.

export type PlaygroundTenant = { id: string; name: string; token: string };

/** One editor tab the page opens with. */
export type PlaygroundExample = { query: string; variables?: string; headers?: string };

export type PlaygroundConfig = {
  tenants: PlaygroundTenant[];
  /** Tenant picked on first visit. */
  defaultTenantId?: string;
  graphqlPath: string;
  realtimePath: string;
  examples: PlaygroundExample[];
};

export const CONFIG_PATH = "/playground/config.json";
export const ASSETS_PATH = "/playground/assets/";
