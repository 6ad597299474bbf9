/**
 * Metrics for fleets: one {@link dev.cachescope.export.metrics.MetricCatalog} of meters that both
 * the Prometheus exposition and the Micrometer {@link
 * dev.cachescope.export.metrics.CachescopeMeterBinder} publish.
 */
@NullMarked
package dev.cachescope.export.metrics;

import org.jspecify.annotations.NullMarked;
