// Larder's service worker: keeps the app shell so that a count opened online goes on without a
// signal. The server writes this build's version into BUILD when it serves the file, so every
// deploy is a new worker with a new cache, and the old caches are removed when it takes over.
//
// Pages and files: network first, the cache only when the network fails, so an online browser
// never runs an old app after a deploy. The API (GraphQL, /api/) is never cached here: the app
// keeps what a count needs in IndexedDB and sends it when the connection returns.
const BUILD = "__LARDER_BUILD__";
const CACHE = "larder-shell-" + BUILD;

// The shell: the page and every file it names (the wasm, its glue, styles, icons).
async function shellFiles() {
  const page = await fetch("/", { cache: "no-store" });
  const html = await page.text();
  const files = new Set(["/", "/manifest.webmanifest", "/favicon.svg"]);
  for (const m of html.matchAll(/(?:href|src)="(\/[^"]+)"/g)) files.add(m[1]);
  // Trunk preloads the wasm by a link; its glue imports it by name too.
  for (const m of html.matchAll(/['"](\/[^'"]+\.(?:wasm|js))['"]/g)) files.add(m[1]);
  return [...files];
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(await shellFiles());
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("larder-shell-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })()
  );
});

// The API, the POS sign-in's return (a server redirect) and this file go straight through.
function passesThrough(url) {
  return ["/graphql", "/api/", "/oauth/"].some((p) => url.pathname.startsWith(p)) || url.pathname === "/sw.js";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || passesThrough(url)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // The request as the browser made it: a page's redirects stay the browser's to follow.
        // The server marks the page no-cache, so it is asked for each time: it names the
        // build's files, and is what must never be stale.
        const fresh = await fetch(request);
        const keep = fresh.ok && !fresh.redirected && fresh.type === "basic";
        if (keep && (request.mode === "navigate" || (await cache.match(request)))) {
          // The page is kept as "/" (every route of the app is that page).
          await cache.put(request.mode === "navigate" ? "/" : request, fresh.clone());
        }
        return fresh;
      } catch (offline) {
        const kept = await cache.match(request.mode === "navigate" ? "/" : request);
        if (kept) return kept;
        throw offline;
      }
    })()
  );
});
