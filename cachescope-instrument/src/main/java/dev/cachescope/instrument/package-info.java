/**
 * One-line monitoring for the caches Java applications use. Each entry point builds a {@link
 * dev.cachescope.CacheMonitor} bound to the cache, registers it with a {@link
 * dev.cachescope.MetricsAggregator}, and returns a monitored cache that behaves exactly like the
 * original: same values, same exceptions, same views.
 *
 * <p>{@link dev.cachescope.instrument.MapMonitoring} covers any {@code ConcurrentMap}, {@link
 * dev.cachescope.instrument.Memoized} memoized suppliers and functions; the {@code caffeine} and
 * {@code guava} packages their libraries, which are {@code provided} dependencies.
 */
@NullMarked
package dev.cachescope.instrument;

import org.jspecify.annotations.NullMarked;
