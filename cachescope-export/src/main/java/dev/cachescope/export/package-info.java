/**
 * Exposing cachescope's metrics with no external service. {@link dev.cachescope.export.Monitoring}
 * starts what a {@link dev.cachescope.export.config.MonitoringConfig} asks for; each backend is a
 * {@link dev.cachescope.export.MonitoringBackend} reporting its {@link
 * dev.cachescope.export.BackendHealth}. The backends live in sub-packages by job: {@code config},
 * {@code files} (JSON-lines log, snapshot files), {@code http} (API, dashboard, {@code /metrics}),
 * {@code metrics} (one catalog for Prometheus and Micrometer), {@code alerts}.
 */
@NullMarked
package dev.cachescope.export;

import org.jspecify.annotations.NullMarked;
