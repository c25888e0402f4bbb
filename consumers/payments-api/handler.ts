// Lambda entry point of the paymentsApi data source (payment, payments, paymentEvents,
// approvePayment, declinePayment); see ./api.
import { createPaymentsApiHandler } from "./api";
import { apiLambda } from "./context";

export const handler = apiLambda("payments-api", createPaymentsApiHandler);
