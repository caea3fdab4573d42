// The contract page of the local stack (/docs): Swagger UI on docs/openapi.json, served by
// local/docs.py. No validator badge (it would call validator.swagger.io): nothing leaves the machine.
"use strict";
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/docs/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
