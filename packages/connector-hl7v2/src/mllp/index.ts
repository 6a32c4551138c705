export { frameMllp, MLLP_END, MLLP_START, MllpDecoder, type MllpDecoderOptions, type MllpFrameEvent } from './framing.js';
export type { MllpTimers } from './limits.js';
export { type MllpMessageContext, type MllpServer, type MllpServerOptions, startMllpServer } from './server.js';
export type { MllpEndpoint } from './connection.js';
export { createMllpClient, type MllpClient, type MllpClientOptions, type SendMllpOptions, sendMllp } from './client.js';
