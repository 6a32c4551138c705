// "Create one PaymentIntent" with @hmi/connector-stripe.
import { createStripeConnector } from '@hmi/connector-stripe';

const stripe = createStripeConnector({ apiKey: process.env.STRIPE_SECRET_KEY });
const intent = await stripe.actions.createPaymentIntent(
  { amount: 15_050, currency: 'sar', metadata: { hmi_invoice_id: 'inv-7' } },
  { idempotencyKey: 'invoice-inv-7-payment' },
);
console.log(intent.id);
