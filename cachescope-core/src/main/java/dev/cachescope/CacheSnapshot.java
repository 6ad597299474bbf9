package dev.cachescope;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of one cache: the seed design's {@code CacheSnapshot} (see
 * docs/data-model.md), extended. JSON names are snake_case: {@code cache_name, timestamp,
 * total_entries, memory_usage_bytes, hit_rate, avg_operation_ms, hits, misses, evictions,
 * custom_metrics}, then cachescope's additions.
 *
 * <p>A snapshot is internally consistent: all counts come from one read of the counters, so {@code
 * hits + misses == gets}, the {@code sources} add up to {@code gets}, the {@code
 * evictions_by_cause} add up to {@code evictions}, and {@code hit_rate == hits / gets}.
 *
 * @param cacheName the cache's name
 * @param timestamp when the snapshot was taken, Unix epoch seconds
 * @param totalEntries entries in the cache, as its inspector reports them (0 when none is bound)
 * @param memoryUsageBytes memory the entries take, 0 when unknown (see {@code memoryMethod})
 * @param hitRate hits / gets since the monitor started; 0.0 when there were no gets
 * @param avgOperationMs mean duration of all operation types, each weighted by its exact count
 * @param hits lookups that found a value
 * @param misses lookups that found none
 * @param evictions entries the cache dropped by itself
 * @param customMetrics cache-specific values from the inspector
 * @param gets lookups: hits + misses
 * @param puts writes
 * @param removals explicit removals
 * @param clears clear-all operations
 * @param loads loads that produced a value
 * @param loadFailures loads that threw or produced nothing
 * @param errors operations the cache itself failed (the exception reached the caller)
 * @param latencyMs duration percentiles per operation type ({@code "get"}, {@code "load"}, ...),
 *     for the types that were timed
 * @param windows recent activity by window: {@code "1m"}, {@code "5m"}, {@code "15m"}, {@code "1h"}
 * @param sources lookups by where the value came from: {@code memory, disk, fresh, remote}, and
 *     {@code unspecified} for lookups reported without a source
 * @param evictionsByCause evictions by cause: {@code size, expired, collected}
 * @param memoryMethod how {@code memoryUsageBytes} was obtained: {@code "inspector"} (the cache
 *     said), {@code "measured"} or {@code "sampled"} (deep sizes of every or some entries, by JOL),
 *     or {@code "unknown"}
 * @param droppedOperations operation records the history lost because producers contended or the
 *     staging buffers were full; counts are never lost
 * @param monitoringFaults failures inside the monitoring itself (an inspector or key that threw, a
 *     listener that failed), all swallowed
 * @param enabled whether the monitor is recording
 * @param memoryErrorBytes half-width of the 95% confidence interval of {@code memoryUsageBytes}
 *     when it was estimated from sampled entries ({@code memoryMethod "sampled"}), else 0
 * @param timeSavedMs time hits saved: hits times the mean load time (or the mean miss time, for
 *     caches without loads) less the mean hit time; 0 until a load or miss was timed, and hits
 *     count as free until one of them was timed
 * @param tokensSaved hits times the mean tokens per load the application reported ({@link
 *     CacheMonitor#recordLoadTokens}); null when none were reported
 * @param hotKeys the most looked-up keys, highest first, at most 10 (empty when lookups are not
 *     timed)
 * @param sizing hit rates at other sizes and TTLs; null when sizing advice is off
 * @param trends hit rate ({@code hit_rate}) and p99 lookup time ({@code p99_ms}) against their own
 *     moving baselines
 */
public record CacheSnapshot(
    String cacheName,
    double timestamp,
    long totalEntries,
    long memoryUsageBytes,
    double hitRate,
    double avgOperationMs,
    long hits,
    long misses,
    long evictions,
    Map<String, Object> customMetrics,
    long gets,
    long puts,
    long removals,
    long clears,
    long loads,
    long loadFailures,
    long errors,
    Map<String, LatencySummary> latencyMs,
    Map<String, WindowStats> windows,
    Map<String, Long> sources,
    Map<String, Long> evictionsByCause,
    String memoryMethod,
    long droppedOperations,
    long monitoringFaults,
    boolean enabled,
    long memoryErrorBytes,
    double timeSavedMs,
    @Nullable Long tokensSaved,
    List<HotKey> hotKeys,
    @Nullable SizingAdvice sizing,
    Map<String, Trend> trends) {}
