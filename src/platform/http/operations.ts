/**
 * Health and metrics for operators: `/healthz` (the process is up), `/readyz` (the database answers and its
 * migrations are current: a load balancer sends traffic only when this is green) and `/metrics` in the
 * Prometheus text format, behind METRICS_TOKEN outside development.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Deps } from '../../container.ts';
import { safeEqual } from '../auth/tokens.ts';

export function registerOperations(app: FastifyInstance, deps: Deps) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'http_server_errors_total',
    help: 'Responses with a 5xx status',
    labelNames: ['route'],
    registers: [registry],
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    if (reply.statusCode >= 500) errors.inc({ route });
    done();
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await deps.db.ping();
      const pending = await deps.db.pendingMigrations();
      if (pending > 0)
        return reply.code(503).send({ status: 'not ready', reason: `${pending} migrations pending` });
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'not ready', reason: 'database unreachable' });
    }
  });

  app.get('/metrics', async (request, reply) => {
    const token = deps.config.METRICS_TOKEN;
    if (token) {
      const given = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (!safeEqual(given, token))
        return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ status: 401 });
    } else if (deps.config.isProduction) {
      return reply.code(404).send();
    }
    const pending = await deps.outbox.pendingCount().catch(() => -1);
    return reply
      .type(registry.contentType)
      .send(
        `${await registry.metrics()}\n# HELP covenant_outbox_pending Emails waiting to be sent\n# TYPE covenant_outbox_pending gauge\ncovenant_outbox_pending ${pending}\n`,
      );
  });
}
