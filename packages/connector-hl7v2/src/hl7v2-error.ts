import { HmiError, type HmiErrorOptions, type SerializedHmiError, defineErrorMarker } from '@hmi/core';

/** Why a message could not be parsed: a stable, machine-readable reason. */
export type Hl7ParseErrorReason =
  | 'empty'
  | 'missing_header'
  | 'invalid_separators'
  | 'invalid_segment_id'
  | 'invalid_encoding'
  | 'multiple_messages'
  | 'batch_structure'
  | 'invalid_input';

const parseMarker = defineErrorMarker('Hl7ParseError');

/**
 * The input is not an HL7 v2 message. Says where (segment index, field position) and why, never
 * what: the message text is patient data, so no part of it is quoted.
 */
export class Hl7ParseError extends HmiError {
  /** @internal */
  readonly [parseMarker.marker] = true;
  /** Why parsing failed. */
  readonly reason: Hl7ParseErrorReason;
  /** 0-based index of the segment (line) where parsing failed, when known. */
  readonly segmentIndex: number | undefined;
  /** 1-based field position (HL7 numbering) within that segment, when known. */
  readonly fieldPosition: number | undefined;

  constructor(
    message: string,
    options: HmiErrorOptions & { reason: Hl7ParseErrorReason; segmentIndex?: number; fieldPosition?: number },
  ) {
    const where =
      options.segmentIndex === undefined
        ? ''
        : ` (segment ${options.segmentIndex}${options.fieldPosition === undefined ? '' : `, field ${options.fieldPosition}`})`;
    super(`HL7 parse error: ${message}${where}`, { code: 'hl7_parse_error', retryable: false, connector: 'hl7v2', ...options });
    this.name = 'Hl7ParseError';
    this.reason = options.reason;
    this.segmentIndex = options.segmentIndex;
    this.fieldPosition = options.fieldPosition;
  }

  /** True for an Hl7ParseError from any installed copy of this package. */
  static override isInstance(error: unknown): error is Hl7ParseError {
    return parseMarker.is(error);
  }

  override toJSON(): SerializedHmiError {
    return {
      ...super.toJSON(),
      reason: this.reason,
      ...(this.segmentIndex !== undefined && { segmentIndex: this.segmentIndex }),
      ...(this.fieldPosition !== undefined && { fieldPosition: this.fieldPosition }),
    };
  }
}

const mllpMarker = defineErrorMarker('MllpProtocolError');

/**
 * The peer broke the MLLP or acknowledgement protocol: an ACK for another message, a frame over
 * the size limit, an answer that is not an ACK. Never quotes the bytes received.
 */
export class MllpProtocolError extends HmiError {
  /** @internal */
  readonly [mllpMarker.marker] = true;
  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message, { code: 'mllp_protocol_error', retryable: false, connector: 'hl7v2', ...options });
    this.name = 'MllpProtocolError';
  }
  /** True for an MllpProtocolError from any installed copy of this package. */
  static override isInstance(error: unknown): error is MllpProtocolError {
    return mllpMarker.is(error);
  }
}

const timeZoneMarker = defineErrorMarker('Hl7TimeZoneError');

/**
 * An HL7 time carries no UTC offset and no facility time zone was configured (`timeZone`, an IANA
 * name such as `Asia/Riyadh`), so the instant it names is unknown. Refused rather than read as
 * UTC: a Riyadh appointment read as UTC moves three hours. Names the field, never its value.
 */
export class Hl7TimeZoneError extends HmiError {
  /** @internal */
  readonly [timeZoneMarker.marker] = true;
  constructor(message: string, options: HmiErrorOptions = {}) {
    super(message, { code: 'hl7_time_zone_required', retryable: false, connector: 'hl7v2', ...options });
    this.name = 'Hl7TimeZoneError';
  }
  /** True for an Hl7TimeZoneError from any installed copy of this package. */
  static override isInstance(error: unknown): error is Hl7TimeZoneError {
    return timeZoneMarker.is(error);
  }
}
