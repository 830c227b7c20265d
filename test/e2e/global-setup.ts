import type { TestProject } from 'vitest/node';
import { preview, type PreviewServer } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: PreviewServer | undefined;

/** Serves the built app (`dist/`, made by `vite build` before this runs) with the production headers. */
export async function setup(project: TestProject) {
  server = await preview({ preview: { port: 4173, strictPort: false, host: '127.0.0.1' }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
}

export async function teardown() {
  await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()) ?? resolve());
}
