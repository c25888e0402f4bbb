// Lambda entry point of the paymentsApi data source (payment, payments, paymentEvents, refund,
// approvePayment, declinePayment, capturePayment, cancelPayment, refundPayment); see ./api.

import { apiLambda } from "../api/context";
import { createPaymentsApiHandler } from "./api";

export const handler = apiLambda("payments-api", createPaymentsApiHandler);
