import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { hmiTsup } from '../../tsup.base.js';
import { withoutFormats } from './src/internal/strip-formats.js';

/**
 * libphonenumber-js is bundled into dist, tree-shaken to the parser and validator this package
 * uses: Node then loads one file at import instead of the library's ~90 modules (the larger part
 * of @hmi/connector-twilio's cold start). Its metadata goes in as JSON text that
 * src/internal/metadata.ts parses on the first number, not at import. libphonenumber-js is MIT
 * (its metadata is derived from Google's libphonenumber, Apache-2.0): both notices are kept below.
 */
const NOTICE = `/*!
 * @hmi/phone bundles libphonenumber-js (https://gitlab.com/catamphetamine/libphonenumber-js):
 *
 * (The MIT License)
 * Copyright (c) 2016 @catamphetamine <purecatamphetamine@gmail.com>
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 * associated documentation files (the "Software"), to deal in the Software without restriction,
 * including without limitation the rights to use, copy, modify, merge, publish, distribute,
 * sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all copies or
 * substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
 * NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 * NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
 * OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 * CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 *
 * Its phone number metadata is derived from Google's libphonenumber
 * (https://github.com/google/libphonenumber), Copyright (C) 2009 The Libphonenumber Authors,
 * licensed under the Apache License, Version 2.0 (http://www.apache.org/licenses/LICENSE-2.0).
 */`;

/**
 * The metadata module becomes a JSON string, without display formats (see withoutFormats): parsed
 * when first needed, not when imported.
 */
const metadataAsText: Plugin = {
  name: 'hmi-phone-metadata-as-text',
  setup(build) {
    build.onLoad({ filter: /libphonenumber-js[/\\]metadata\.max\.json\.js$/ }, (args) => {
      const json = readFileSync(args.path.replace(/\.js$/, ''), 'utf8');
      return { contents: `export default ${JSON.stringify(JSON.stringify(withoutFormats(JSON.parse(json))))};`, loader: 'js' };
    });
  },
};

export default hmiTsup({
  entry: ['src/index.ts'],
  noExternal: ['libphonenumber-js'],
  esbuildPlugins: [metadataAsText],
  banner: { js: NOTICE },
});
