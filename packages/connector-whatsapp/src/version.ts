declare const __HMI_PKG_VERSION__: string | undefined;

/**
 * This package's version, from its package.json: injected by the build (`tsup.base.ts`), and by
 * the workspace's vitest config when tests run the sources. Run from source any other way (tsx),
 * it reads `0.0.0-source`.
 */
export const PACKAGE_VERSION: string = typeof __HMI_PKG_VERSION__ === 'string' ? __HMI_PKG_VERSION__ : '0.0.0-source';
