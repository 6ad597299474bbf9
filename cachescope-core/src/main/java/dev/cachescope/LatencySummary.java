package dev.cachescope;

/**
 * The distribution of one operation type's durations since the monitor started, in milliseconds,
 * from an HdrHistogram with two significant digits. Sampled hits are counted with their weight, so
 * {@code count} estimates all operations of the type, timed or not.
 *
 * @param count operations the distribution stands for
 * @param meanMs mean duration
 * @param p50Ms median
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param p999Ms 99.9th percentile
 * @param maxMs largest duration recorded
 */
public record LatencySummary(
    long count,
    double meanMs,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double p999Ms,
    double maxMs) {}
