import type { HttpClient } from '@hmi/core';
import type { SurveyConfig } from './survey-config.js';

/** What every action, stream and webhook of the connector receives (built once per instance in `setup`). */
export interface SurveyContext {
  http: HttpClient;
  config: SurveyConfig;
}
