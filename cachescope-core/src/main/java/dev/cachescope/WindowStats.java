package dev.cachescope;

import org.jspecify.annotations.Nullable;

/**
 * Activity over one recent window (the last 1 m, 5 m, 15 m or 1 h).
 *
 * @param seconds the time the window covers: its nominal length, or less while the monitor is
 *     younger than that
 * @param requests lookups (hits + misses) within it
 * @param hitRate hits / requests within it; {@code null} when there were no requests, so an idle
 *     cache is not mistaken for one that misses
 * @param operationsPerSecond operations of every kind (lookups, writes, removals, clears) per
 *     second
 */
public record WindowStats(
    double seconds, long requests, @Nullable Double hitRate, double operationsPerSecond) {}
