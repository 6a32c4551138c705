// "Create one PaymentIntent" with the official stripe SDK.
import Stripe from 'stripe';

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const intent = await stripe.paymentIntents.create(
  { amount: 15_050, currency: 'sar', metadata: { hmi_invoice_id: 'inv-7' } },
  { idempotencyKey: 'invoice-inv-7-payment' },
);
console.log(intent.id);
