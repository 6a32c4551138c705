import type { Hl7MapOptions } from './mappers/datatypes.js';
import type { MllpClient } from './mllp/client.js';
import type { Hl7v2ConfigOutput } from './hl7v2-config.js';

/**
 * What every action, webhook and the definition's `close` receive (built once per instance in
 * `setup`). The MLLP client is opened on first use and closed by the instance's `close()`.
 */
export interface Hl7v2Context {
  config: Hl7v2ConfigOutput;
  /** The instance's persistent MLLP client, created on first use. */
  client(): MllpClient;
  /** Closes the MLLP client if one was created; later sends open a new one. */
  closeClient(): Promise<void>;
  /** The options inbound messages are mapped with (time zone, default region). */
  mapOptions: Hl7MapOptions;
}
