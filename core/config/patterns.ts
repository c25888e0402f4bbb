// Shapes shared by the config documents.
export const TENANT_ID = /^[a-z][a-z0-9-]{1,31}$/;
export const REGION_ID = /^[a-z][a-z0-9-]{1,15}$/;
export const COUNTRY = /^[A-Z]{2}$/;
export const CURRENCY = /^[A-Z]{3}$/;
