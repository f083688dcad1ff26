// Starts Swagger UI on /api/docs/ (loaded from our own static files; no inline script, so the CSP holds).
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle !== "function") {
    return;
  }
  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The default validator badge fetches from validator.swagger.io: no requests to other sites.
    validatorUrl: null,
    tryItOutEnabled: true,
  });
})();
