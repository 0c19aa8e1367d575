import { Public } from '@aal/auth';
import { Controller, Get, Header, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { TracingShutdown } from './tracing-shutdown';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_SERVICE = Symbol('METRICS_SERVICE');

/**
 * Prometheus metrics of one service instance. Each app gets its own registry (not prom-client's
 * global one), so several services can run in one process, as the end-to-end tests do.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;

  constructor(@Inject(METRICS_SERVICE) service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = this.counter('http_requests_total', 'HTTP requests answered, by route and status.', ['method', 'route', 'status']);
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests.',
      labelNames: ['method', 'route'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A gauge the service sets itself, by label (e.g. per witness, the time of its last cosignature). */
  labelledGauge<L extends string>(name: string, help: string, labelNames: L[]): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  histogram(name: string, help: string, buckets: number[]): Histogram {
    return new Histogram({ name, help, buckets, registers: [this.registry] });
  }

  /** A gauge read when Prometheus scrapes (e.g. the outbox backlog, from the database). */
  gauge(name: string, help: string, read: () => Promise<number> | number): Gauge {
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          // Unreadable now (database down): leave the last value; readiness reports the cause.
        }
      },
    });
  }

  /** Express middleware counting and timing every request by its route pattern (not its URL). */
  httpMiddleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const stop = this.httpDuration.startTimer();
      res.on('finish', () => {
        const route = (req.route?.path as string | undefined) ?? 'unmatched';
        if (route === '/metrics') return;
        stop({ method: req.method, route });
        this.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      });
      next();
    };
  }
}

@ApiExcludeController()
@Public('Prometheus scrapes it; it holds counts and timings, no records.')
@Controller()
class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/**
 * `/metrics` in the Prometheus text format, plus the `Metrics` service for other providers; it also
 * flushes the service's traces on shutdown (`TracingShutdown`).
 */
@Module({})
export class MetricsModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: MetricsModule,
      global: true,
      controllers: [MetricsController],
      providers: [{ provide: METRICS_SERVICE, useValue: service }, Metrics, TracingShutdown],
      exports: [Metrics],
    };
  }
}
