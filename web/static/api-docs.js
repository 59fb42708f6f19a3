// The API reference page (/api/docs): Redoc, vendored from the npm registry
// (static/vendor/redoc, MIT), renders /api/v1/openapi.yaml. Settings live
// here rather than in the page so the page runs no inline script; telemetry
// is off so the page makes no request outside the site.
import { init } from './vendor/redoc/redoc.standalone.js';

const el = document.getElementById('redoc');
init(el.dataset.specUrl, {
  disableTelemetry: true,
  hideDownloadButtons: false,
  expandResponses: '200,201',
}, el);
