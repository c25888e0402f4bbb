// Lambda entry point of initiatePayment (AppSync data source `initiation`); see ./initiate.
import { apiLambda } from "../api/context";
import { createInitiationHandler } from "./initiate";

export const handler = apiLambda("initiation", createInitiationHandler);
