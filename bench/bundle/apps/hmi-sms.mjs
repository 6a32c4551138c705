// "Send one SMS" with @hmi/connector-twilio: what a reminder-sending serverless function ships.
import { createTwilioConnector } from '@hmi/connector-twilio';

const twilio = createTwilioConnector({
  accountSid: process.env.TWILIO_ACCOUNT_SID,
  authToken: process.env.TWILIO_AUTH_TOKEN,
  messagingServiceSid: process.env.TWILIO_MESSAGING_SERVICE_SID,
  consent: { check: async () => true },
});
const sent = await twilio.actions.sendSms({ to: '+966555123456', body: 'موعدكم غداً', purpose: 'transactional' });
console.log(sent.id);
