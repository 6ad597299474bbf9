/**
 * Exposing cachescope's metrics with no external service: {@link
 * dev.cachescope.export.MonitoringConfig} (the seed design's {@code monitoring.yaml} and
 * environment variables), the JSON-lines {@link dev.cachescope.export.OperationLog}, the {@link
 * dev.cachescope.export.SnapshotFiles} store, the {@link dev.cachescope.export.MetricsHttpServer}
 * (JSON API, {@code /health}, Prometheus {@code /metrics}) and a Micrometer {@link
 * dev.cachescope.export.CachescopeMeterBinder}. {@link dev.cachescope.export.Monitoring} starts
 * what a configuration asks for.
 */
@NullMarked
package dev.cachescope.export;

import org.jspecify.annotations.NullMarked;
