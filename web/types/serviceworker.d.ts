// What web.views.service_worker writes into sw.js before serving it (the source holds these names in their place).

/** Every URL of the app shell to precache at install (the page, the manifest, each static file). */
declare const __PRECACHE_URLS__: string[];
/** settings.STATIC_URL, e.g. "/static/". */
declare const __STATIC_URL__: string;
