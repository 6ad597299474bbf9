package dev.cachescope;

import org.jspecify.annotations.Nullable;

/**
 * One point of a cache's time series: the activity between two consecutive window samples (every 5
 * s by default, kept for one hour). The dashboard charts these; JSON names are snake_case ({@code
 * timestamp, seconds, requests, hit_rate, operations_per_second, p99_ms}).
 *
 * @param timestamp the end of the interval, Unix epoch seconds
 * @param seconds the interval's length
 * @param requests lookups (hits + misses) within it
 * @param hitRate hits / requests within it; {@code null} when there were no requests
 * @param operationsPerSecond operations of every kind per second within it
 * @param p99Ms the 99th percentile lookup time within it, in milliseconds; {@code null} when no
 *     lookup was timed in it. Lookups are timed 1 in {@code hitSampleRate}, so a quiet interval may
 *     have requests and no p99.
 */
public record SeriesPoint(
    double timestamp,
    double seconds,
    long requests,
    @Nullable Double hitRate,
    double operationsPerSecond,
    @Nullable Double p99Ms) {}
