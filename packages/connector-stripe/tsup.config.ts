import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';
import { hmiTsup } from '../../tsup.base.js';

// valibot's schema and action constructors have no side effects (valibot marks each one
// `@__NO_SIDE_EFFECTS__`), but a bundler honours that across modules only for a call it sees
// directly, not for one nested in another call's arguments, which is where every schema is
// (`v.optional(v.string())`). So the build marks those calls `/* @__PURE__ */` in dist, and an app
// that imports one function (a webhook receiver's `verifyStripeWebhook`) drops the schemas it never
// uses. Only constructors are listed: a call whose result is unused (`v._addIssue`) must stay.
const CONSTRUCTORS =
  'optional|nullish|nullable|string|number|boolean|literal|picklist|union|array|record|object|looseObject|unknown|null|pipe|check|rawCheck|transform|regex|minLength|maxLength|length|minValue|maxValue|safeInteger|finite';
const VALIBOT_CALL = new RegExp(`(?<![\\w.$])v\\.(?=(?:${CONSTRUCTORS})\\()`, 'g');
const pureValibotCalls: Plugin = {
  name: 'pure-valibot-calls',
  setup(build) {
    build.onLoad({ filter: /[\\/]connector-stripe[\\/]src[\\/].*\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace(VALIBOT_CALL, '/* @__PURE__ */ v.'),
      loader: 'ts',
    }));
  },
};

export default hmiTsup({
  entry: { index: 'src/index.ts', 'msw/index': 'src/msw/index.ts' },
  external: ['msw', '@hmi/core'],
  esbuildPlugins: [pureValibotCalls],
});
