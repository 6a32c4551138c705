/** Builds the browser app into `outDir` (default `dist/app`) and resolves to that directory. */
export function buildApp(outDir?: string): Promise<string>;
