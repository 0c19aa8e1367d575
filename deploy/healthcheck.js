// The image's HEALTHCHECK: exits 0 when the service this container runs answers /health/ready.
// Which service is read from the container's command (dist/apps/<service>/...), its port from the
// same <SERVICE>_PORT variable the service reads, defaulting to the project's port for it.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
// Only the compiled services table (no other module): a health check must start fast on a busy host.
const { servicePort } = require(join(__dirname, '..', 'dist', 'libs', 'contracts', 'src', 'services.js'));

const service = /dist\/apps\/([a-z-]+)\//.exec(readFileSync('/proc/1/cmdline', 'utf8'))?.[1];
if (!service) process.exit(0); // not a service (the one-shot setup): nothing to check
fetch(`http://127.0.0.1:${servicePort(service)}/health/ready`, { signal: AbortSignal.timeout(8000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
