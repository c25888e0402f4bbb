// Lambda entry point of the paymentsApi data source (payment, payments, paymentEvents,
// approvePayment, declinePayment); see ./api.

import { apiLambda } from "../api/context";
import { createPaymentsApiHandler } from "./api";

export const handler = apiLambda("payments-api", createPaymentsApiHandler);
