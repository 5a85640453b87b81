// Swagger UI for Dialtone's admin API. A file of its own, not an inline script: the page's
// Content-Security-Policy allows scripts from this origin only.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // No call to an outside validator (the page may only connect to this origin).
    validatorUrl: null,
    // The token typed into "Authorize" lives in this page only, never in the browser's storage.
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
