package dev.cachescope;

import org.jspecify.annotations.Nullable;

/**
 * A metric against its own baseline ({@link CacheSnapshot#trends()}): an exponentially weighted
 * moving average and variance, updated at every window sample (5 s). JSON: {@code value, baseline,
 * deviation, anomaly}.
 *
 * @param value the latest value (the last minute's hit rate, or the last interval's p99 in ms);
 *     null before any
 * @param baseline the moving average, null before any value
 * @param deviation how many standard deviations the latest value lay from the baseline before it;
 *     null before any value
 * @param anomaly whether that is far enough (more than 3 standard deviations, past a minimum
 *     distance, after a minute of warm-up) to flag
 */
public record Trend(
    @Nullable Double value,
    @Nullable Double baseline,
    @Nullable Double deviation,
    boolean anomaly) {}
