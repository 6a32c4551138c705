import type { OpenApiDocument } from './document.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

type Op = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  'x-required-scope'?: string;
  parameters?: Array<{ name: string; in: string; required: boolean; description?: string; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string }>;
};

/**
 * A self-contained HTML reference of the API (no scripts, no CDN: it works offline and under a
 * strict Content-Security-Policy), rendered from the same OpenAPI document.
 */
export function renderReferencePage(doc: OpenApiDocument, openApiUrl: string): string {
  const info = doc.info as { title: string; version: string; description: string };
  const schemas = ((doc.components as { schemas: Record<string, unknown> }).schemas ?? {}) as Record<string, unknown>;
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const op = raw as Op;
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${esc(JSON.stringify(p.schema))}</code>${p.description ? ` ${esc(p.description)}` : ''}</td></tr>`,
        )
        .join('');
      const body = op.requestBody
        ? `<p>Body: <code>${esc(JSON.stringify(op.requestBody.content['application/json']?.schema))}</code></p>`
        : '';
      const responses = Object.entries(op.responses)
        .map(([status, r]) => `<li><code>${status}</code> ${esc(r.description)}</li>`)
        .join('');
      sections.push(`<section id="${esc(op.operationId)}">
<h3><span class="m">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
<p>${esc(op.summary)}${op['x-required-scope'] ? ` — scope <code>${esc(op['x-required-scope'])}</code>` : ''}</p>
${op.description ? `<p>${esc(op.description)}</p>` : ''}
${params ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params}</table>` : ''}
${body}<ul>${responses}</ul></section>`);
    }
  }
  const models = Object.entries(schemas)
    .map(
      ([name, s]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3><pre>${esc(JSON.stringify(s, null, 2))}</pre></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(info.title)} ${esc(info.version)} — API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f4f4f4;padding:.75rem;overflow:auto}
.m{display:inline-block;min-width:4rem;font-weight:700}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:start}
section{border-top:1px solid #ddd;padding-top:.5rem}</style></head>
<body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description)}</p>
<p>Machine-readable: <a href="${esc(openApiUrl)}">openapi.json</a> (OpenAPI 3.1).</p>
<h2>Operations</h2>
${sections.join('\n')}
<h2>Schemas</h2>
${models}
</body></html>`;
}
