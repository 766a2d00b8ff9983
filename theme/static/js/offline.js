// Offline reading: registers the site's service worker (its address is on this script's tag) once
// the page has loaded, so that what it keeps never competes with the page on a slow network.
// Lite pages carry no script; once installed, the worker serves them too.
const worker = document.currentScript && document.currentScript.dataset.worker;
if (worker && "serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register(new URL(worker, document.baseURI)).catch(() => undefined);
  });
}
