// "Send one SMS" with the official twilio SDK.
import twilio from 'twilio';

const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);
const sent = await client.messages.create({
  to: '+966555123456',
  messagingServiceSid: process.env.TWILIO_MESSAGING_SERVICE_SID,
  body: 'موعدكم غداً',
});
console.log(sent.sid);
