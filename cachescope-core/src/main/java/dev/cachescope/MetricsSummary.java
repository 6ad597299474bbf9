package dev.cachescope;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * All caches at once: the seed design's summary (see docs/data-model.md) with snake_case JSON names
 * {@code timestamp, total_caches, total_memory_bytes, total_memory_mb, total_entries,
 * average_hit_rate, caches}, plus {@code total_requests}, {@code overall_hit_rate}, {@code
 * total_time_saved_ms} and {@code total_tokens_saved}.
 *
 * @param timestamp when it was taken, Unix epoch seconds
 * @param totalCaches how many caches are monitored
 * @param totalMemoryBytes the sum of the caches' known memory
 * @param totalMemoryMb the same in MiB
 * @param totalEntries the sum of the caches' entries
 * @param averageHitRate the plain mean of the caches' hit rates, as the design defines it; an idle
 *     cache counts as 0 and pulls it down, which is why {@code overallHitRate} exists
 * @param totalRequests lookups across all caches
 * @param overallHitRate hits / lookups across all caches: each cache weighted by its traffic; 0.0
 *     when there were no lookups
 * @param totalTimeSavedMs the caches' {@code time_saved_ms}, summed
 * @param totalTokensSaved the caches' {@code tokens_saved}, summed; null when no cache reported
 *     tokens
 * @param caches every cache's snapshot, by name, in name order
 */
public record MetricsSummary(
    double timestamp,
    int totalCaches,
    long totalMemoryBytes,
    double totalMemoryMb,
    long totalEntries,
    double averageHitRate,
    long totalRequests,
    double overallHitRate,
    double totalTimeSavedMs,
    @Nullable Long totalTokensSaved,
    Map<String, CacheSnapshot> caches) {}
