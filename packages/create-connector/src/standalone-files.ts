import type { ConnectorNames } from './names.js';

/** The versions a scaffolded package pins: hmi's own (a caret range) and its tools' (exact). */
export interface TemplateVersions {
  '@hmi/core': string;
  '@hmi/testing': string;
  '@types/node': string;
  msw: string;
  tsup: string;
  typescript: string;
  vitest: string;
  zod: string;
}

/** What the generated files need to know. */
export interface StandaloneFilesInput {
  names: ConnectorNames;
  packageName: string;
  versions: TemplateVersions;
}

const entry = (dir: string) => ({
  import: { types: `./dist/${dir}index.d.ts`, default: `./dist/${dir}index.js` },
  require: { types: `./dist/${dir}index.d.cts`, default: `./dist/${dir}index.cjs` },
});

/**
 * The files that make the template a package of its own rather than a folder of the hmi
 * workspace: no `workspace:` ranges, no `../..` paths, its own tsconfig and a vitest config
 * rooted at the package (so a parent folder's tests are never collected).
 */
export function generatedFiles({ names, packageName, versions }: StandaloneFilesInput): Record<string, string> {
  const pkg = {
    name: packageName,
    version: '1.0.0',
    description: `hmi connector for ${names.pascal}`,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.19' },
    files: ['dist', 'openapi'],
    main: './dist/index.cjs',
    module: './dist/index.js',
    types: './dist/index.d.cts',
    exports: { '.': entry(''), './msw': entry('msw/'), './package.json': './package.json' },
    scripts: { build: 'tsup', test: 'vitest run', typecheck: 'tsc --noEmit' },
    dependencies: { '@hmi/core': versions['@hmi/core'] },
    devDependencies: {
      '@hmi/testing': versions['@hmi/testing'],
      '@types/node': versions['@types/node'],
      msw: versions.msw,
      tsup: versions.tsup,
      typescript: versions.typescript,
      vitest: versions.vitest,
      zod: versions.zod,
    },
    peerDependencies: { msw: '^2.0.0', zod: '^4.0.0' },
    peerDependenciesMeta: { msw: { optional: true } },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noUncheckedIndexedAccess: true,
      noImplicitOverride: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      esModuleInterop: true,
      skipLibCheck: false,
      resolveJsonModule: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['src', 'test'],
  };
  const vitestConfig = `import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Rooted at this package, so a run never collects test files from a parent folder.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/**/*.test.ts'],
  },
});
`;
  const readme = `# ${packageName}

An [hmi](https://www.npmjs.com/package/@hmi/core) connector, scaffolded by \`@hmi/create-connector\`.
It starts as a working copy of hmi's example connector — a made-up patient-satisfaction survey API —
renamed to **${names.pascal}**: replace the survey API with your vendor's, keeping the shape.

\`\`\`sh
npm install
npm test          # the connector contract and the example's tests, against the MSW fake
npm run build     # ESM + CommonJS + types into dist/
npm run typecheck
\`\`\`

| what | where |
| --- | --- |
| config (zod, \`secret()\` marks) | \`src/${names.kebab}-config.ts\` |
| error classifier (the core retries; the connector only classifies) | \`src/${names.kebab}-error.ts\` |
| wire schemas and records (\`phi()\` marks) | \`src/${names.kebab}-model.ts\` |
| actions, stream, webhook (one folder per capability) | \`src/invitations/\`, \`src/responses/\`, \`src/webhooks/\` |
| \`defineConnector\` and \`create${names.pascal}Connector\` | \`src/${names.kebab}-connector.ts\` |
| MSW fake of the API (\`./msw\` export for host apps' tests) | \`src/msw/\` |
| the API's OpenAPI description (replace it with your vendor's) | \`openapi/${names.kebab}.yaml\` |
| the connector contract (\`runConnectorContract\`) | \`test/contract.test.ts\` |

A connector for a real vendor validates its requests and fixtures against the **vendor's own**
published description, read at test time (never copied into the package).
`;
  const tsupConfig = `import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  entry: ['src/index.ts', 'src/msw/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  treeshake: true,
  external: ['msw'],
  // src/version.ts reads it: the version is never written by hand in a source file.
  define: { __HMI_PKG_VERSION__: JSON.stringify(version) },
});
`;
  return {
    'tsup.config.ts': tsupConfig,
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'vitest.config.ts': vitestConfig,
    'README.md': readme,
    '.gitignore': 'node_modules/\ndist/\n',
  };
}
