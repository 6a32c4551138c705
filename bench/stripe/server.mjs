// The loopback "Stripe" of the Stripe benchmark, in its own process (forked by index.ts) so the
// clients measured do not share its event loop. Answers every request with one full PaymentIntent.
import { createServer } from 'node:http';

const paymentIntent = {
  id: 'pi_3BenchMarkPaymentIntent01',
  object: 'payment_intent',
  amount: 15050,
  amount_capturable: 0,
  amount_details: { tip: {} },
  amount_received: 0,
  application: null,
  application_fee_amount: null,
  automatic_payment_methods: null,
  canceled_at: null,
  cancellation_reason: null,
  capture_method: 'automatic',
  client_secret: 'pi_3BenchMarkPaymentIntent01_secret_bench',
  confirmation_method: 'automatic',
  created: 1767225600,
  currency: 'sar',
  customer: null,
  description: 'استشارة طبية',
  last_payment_error: null,
  latest_charge: null,
  livemode: false,
  metadata: { hmi_contact_id: 'contact-42', visit: 'v-9' },
  next_action: null,
  on_behalf_of: null,
  payment_method: null,
  payment_method_options: {},
  payment_method_types: ['card'],
  processing: null,
  receipt_email: 'patient@example.sa',
  review: null,
  setup_future_usage: null,
  shipping: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  status: 'requires_payment_method',
  transfer_data: null,
  transfer_group: null,
};
const body = Buffer.from(JSON.stringify(paymentIntent));
let requests = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'request-id': 'req_bench' });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'count') process.send?.({ requests });
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
