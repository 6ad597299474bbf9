package dev.cachescope;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One window point's lookup and load times over the fixed latency buckets ({@link
 * LatencySummary#BUCKET_UPPER_BOUNDS_SECONDS}, then one bucket above 10 s): a column of a latency
 * heatmap. Counts are not cumulative, and sampled lookups count with their weight. JSON names are
 * {@code timestamp, seconds, get, load}.
 *
 * @param timestamp the end of the interval, Unix epoch seconds (the same as the {@link SeriesPoint}
 *     of that interval)
 * @param seconds the interval's length
 * @param get lookups per bucket within the interval; null when none was timed in it
 * @param load loads per bucket within the interval; null when none was timed in it
 */
public record HistogramPoint(
    double timestamp, double seconds, @Nullable List<Integer> get, @Nullable List<Integer> load) {}
