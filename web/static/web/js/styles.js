// @ts-check
// The app's stylesheet is linked with media="print" so that it never blocks the page's first render (the screens are
// drawn by script anyway); it is switched on here, before the first screen is drawn, once it has loaded.

/** Resolves once the app's stylesheet applies to the screen. */
export function stylesReady() {
  const link = /** @type {HTMLLinkElement | null} */ (document.querySelector("link[data-app-styles]"));
  if (!link || link.media === "all") return Promise.resolve();
  return new Promise((resolve) => {
    const apply = () => {
      link.media = "all";
      resolve(undefined);
    };
    if (link.sheet) apply();
    else {
      link.addEventListener("load", apply, { once: true });
      link.addEventListener("error", apply, { once: true }); // unstyled beats blank
    }
  });
}
