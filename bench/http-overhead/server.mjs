// The loopback server of the HTTP overhead benchmark. It runs in its own process (forked by
// index.mjs) so that the clients measured do not share an event loop with it.
import { createServer } from 'node:http';

const body = Buffer.from(
  JSON.stringify({ id: 'pi_123', object: 'payment_intent', amount: 15050, currency: 'sar', status: 'succeeded' }),
);
const server = createServer((req, res) => {
  // Drain the request body (POST cases) before answering.
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'request-id': 'req_bench' });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  if (process.send) process.send({ port: server.address().port });
  else console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
