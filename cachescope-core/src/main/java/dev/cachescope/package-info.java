/**
 * cachescope's public API: {@link dev.cachescope.CacheMonitor} records the operations of one cache,
 * {@link dev.cachescope.MetricsAggregator} holds the monitors of an application and turns them into
 * {@link dev.cachescope.CacheSnapshot}s and a {@link dev.cachescope.MetricsSummary}.
 *
 * <p>Everything here is thread-safe unless its javadoc says otherwise. Nothing thrown by the
 * monitoring machinery reaches a caller of a recording method.
 */
@NullMarked
package dev.cachescope;

import org.jspecify.annotations.NullMarked;
