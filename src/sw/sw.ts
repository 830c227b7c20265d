/**
 * Loupe's service worker: after the first visit the static build is served from a cache, so the app
 * (samples included) works with no network. Built by the `loupe-sw` plugin in vite.config.ts, which
 * prepends the two constants below and writes `sw.js` beside index.html. A classic script (no
 * imports): module service workers are not yet everywhere.
 *
 * Cache-first for same-origin GETs that are in the precache or the on-demand list (stored on first
 * fetch); anything else goes to the network untouched. Cached responses keep the headers they were fetched with, so COOP/COEP (and with them
 * `crossOriginIsolated` and wasm threads) survive offline.
 */

/** Paths relative to this script: the build's files and everything in `static/`. */
declare const __LOUPE_PRECACHE__: string[];
/** Files cached the first time they are fetched (onnxruntime-web's WebGPU build), not at install. */
declare const __LOUPE_ON_DEMAND__: string[];
/** Hash of the file list and the contents that are not content-hashed; names the cache. */
declare const __LOUPE_VERSION__: string;

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE_PREFIX = 'loupe-';
const CACHE = `${CACHE_PREFIX}${__LOUPE_VERSION__}`;
/** Absolute URLs of the precache, resolved against this script, so a sub-path deployment works. */
const PRECACHED = new Set(__LOUPE_PRECACHE__.map((p) => new URL(p, sw.location.href).href));
const ON_DEMAND = new Set(__LOUPE_ON_DEMAND__.map((p) => new URL(p, sw.location.href).href));

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `cache: 'reload'` skips the HTTP cache, so a new version never stores an old file.
      await cache.addAll([...PRECACHED].map((url) => new Request(url, { cache: 'reload' })));
      // A new build takes over at once, so the next reload shows it. The cost: a page still open on
      // the old build that later asks for an old chunk it never loaded finds it neither in the new
      // cache nor on the host (hashed names); reloading fixes it.
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin) return;
  url.search = '';
  url.hash = '';
  const key = url.href;
  // The precache holds both `./` and `./index.html`, so either address of the page is served.
  if (!(PRECACHED.has(key) || ON_DEMAND.has(key)) || req.headers.has('range')) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(key);
      if (hit) return hit;
      const res = await fetch(req);
      // Stored in the background: the page gets the response as it streams.
      if (res.ok && res.type === 'basic') event.waitUntil(cache.put(key, res.clone()));
      return res;
    })(),
  );
});
