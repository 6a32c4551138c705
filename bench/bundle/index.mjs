// Bundle size of two small serverless apps, hmi against the SDK a user would pick instead: "send one
// SMS" (@hmi/connector-twilio vs the twilio SDK) and "create one PaymentIntent"
// (@hmi/connector-stripe vs the stripe SDK). The apps are in ./apps. Each is bundled by esbuild
// with every dependency inlined (platform node, ESM, minified), then gzipped (level 9); the
// metafile says how much of the minified output is zod and libphonenumber-js metadata.
// Run on demand (never in tests or CI): `pnpm bench bundle`. The hmi connectors are taken from
// their built dist (built first when missing), as a user installing them from npm would get them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

for (const pkg of ['connector-twilio', 'connector-stripe']) {
  if (!existsSync(`${root}packages/${pkg}/dist/index.js`)) {
    console.log(`building @hmi/${pkg} and its workspace dependencies first …`);
    execFileSync('pnpm', ['--filter', `@hmi/${pkg}...`, 'build'], { cwd: root, stdio: 'inherit' });
  }
}

// The workspace packages are not installed at the root: each is resolved from its own folder (a
// package may import itself by name), through its package.json "exports" to the ESM dist/ a user
// gets from npm (the @hmi/source condition is not enabled here).
const workspacePackages = {
  name: 'hmi-workspace-packages',
  setup(b) {
    b.onResolve({ filter: /^@hmi\/connector-(twilio|stripe)$/ }, (args) => {
      if (args.pluginData === 'self') return undefined;
      const dir = `${root}packages/${args.path.slice('@hmi/'.length)}`;
      return b.resolve(args.path, { kind: args.kind, resolveDir: dir, pluginData: 'self' });
    });
  },
};

/** Bytes of libphonenumber-js's metadata in a bundle: the literal (object or JSON text) holding its country table. */
function metadataBytes(text) {
  const at = text.search(/\\?"country_calling_codes\\?"/);
  if (at < 0) return 0;
  const start = text.lastIndexOf(text[at] === '\\' ? '"{' : '{', at);
  const end = text.indexOf(text[at] === '\\' ? '}}"' : '}}}', at);
  return end > start ? end - start + 3 : 0;
}

async function measure(app) {
  const result = await build({
    entryPoints: [here(`apps/${app}.mjs`)],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [workspacePackages],
  });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const part = (test) =>
    Object.entries(output.inputs)
      .filter(([path]) => test(path))
      .reduce((sum, [, i]) => sum + i.bytesInOutput, 0);
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    zod: part((p) => /[/\\]zod[/\\]/.test(p)),
    // @hmi/phone bundles libphonenumber-js and its metadata into its own dist: counted together.
    phone: part((p) => /libphonenumber-js[/\\]|packages[/\\]phone[/\\]/.test(p)),
    phoneMetadata: metadataBytes(new TextDecoder().decode(code)),
    modules: Object.keys(output.inputs).length,
  };
}

const kib = (n) => (n / 1024).toFixed(1);
console.log(
  `esbuild, platform node, ESM, minified, gzip -9; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
console.log(
  '| app | bundle | modules | minified KiB | min+gzip KiB | zod (min KiB) | phone numbers: libphonenumber-js + @hmi/phone (min KiB) | of which metadata (min KiB) |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
const rows = [
  ['send one SMS', 'hmi-sms', 'twilio-sms', 'twilio SDK', 43],
  ['create one PaymentIntent', 'hmi-payment-intent', 'stripe-payment-intent', 'stripe SDK', 22],
];
const summary = [];
for (const [label, hmiApp, peerApp, peerName, goal] of rows) {
  const hmi = await measure(hmiApp);
  const peer = await measure(peerApp);
  for (const [who, m] of [
    ['hmi', hmi],
    [peerName, peer],
  ]) {
    console.log(
      `| ${label} | ${who} | ${m.modules} | ${kib(m.min)} | ${kib(m.gzip)} | ${kib(m.zod)} | ${kib(m.phone)} | ${kib(m.phoneMetadata)} |`,
    );
  }
  summary.push(
    `${label}: hmi ${kib(hmi.gzip)} KiB, ${peerName} ${kib(peer.gzip)} KiB, hmi/peer ${(hmi.gzip / peer.gzip).toFixed(2)} (goal ≤ ${goal} KiB)`,
  );
}
console.log(`\n${summary.join('\n')}`);
