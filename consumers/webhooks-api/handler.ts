// Lambda entry point of the webhooksApi data source (webhook endpoints and deliveries); see ./api.

import { apiLambda } from "../api/context";
import { createWebhooksApiHandler } from "./api";

export const handler = apiLambda("webhooks-api", createWebhooksApiHandler);
