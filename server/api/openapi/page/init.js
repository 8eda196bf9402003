// Starts the API reference on /api/docs (a file, not an inline script: the page's CSP allows only 'self' scripts).
/* global Scalar */
Scalar.createApiReference('#reference', {
  url: '/api/openapi.json',
  // everything from this server: no web fonts, telemetry, agent or MCP calls to the renderer's own services
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  documentDownloadType: 'json',
});
