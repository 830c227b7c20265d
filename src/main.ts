import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const app = mount(App, { target: document.getElementById('app')! });

// Offline after the first visit (see src/sw/sw.ts). Only built sites have sw.js; file:// and other
// schemes cannot host a service worker. The relative URL resolves against the page, so the scope is
// the folder the app is served from, whatever its sub-path.
if (import.meta.env.PROD && /^https?:$/.test(location.protocol) && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch((e: unknown) => {
      console.warn('Loupe: offline cache unavailable:', e);
    });
  });
}

export default app;
