// Types of patients.mjs (plain JS so the forked server runs without a TypeScript loader).
export declare const BASE_MS: number;
export declare function lastUpdatedOf(i: number): string;
export declare function patient(
  i: number,
): { resourceType: 'Patient'; id: string; telecom: Array<{ system: string; value: string }> } & Record<string, unknown>;
export declare function bundle(from: number, to: number, baseUrl: string, next: string | undefined): Record<string, unknown>;
