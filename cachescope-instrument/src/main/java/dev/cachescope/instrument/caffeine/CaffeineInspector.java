package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import dev.cachescope.CacheInspector;
import dev.cachescope.instrument.EntrySample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Caffeine cache's size, bound, TTL, policy settings and a sample of entries for snapshots.
 */
final class CaffeineInspector implements CacheInspector<Cache<?, ?>> {
  static final CaffeineInspector INSTANCE = new CaffeineInspector();

  @Override
  public long entries(Cache<?, ?> cache) {
    return cache.estimatedSize();
  }

  @Override
  public long capacity(Cache<?, ?> cache) {
    return cache
        .policy()
        .eviction()
        .filter(eviction -> !eviction.isWeighted())
        .map(eviction -> eviction.getMaximum())
        .orElse(-1L);
  }

  @Override
  public long ttlNanos(Cache<?, ?> cache) {
    Policy<?, ?> policy = cache.policy();
    long afterWrite = policy.expireAfterWrite().map(e -> e.getExpiresAfter().toNanos()).orElse(-1L);
    return afterWrite >= 0
        ? afterWrite
        : policy.expireAfterAccess().map(e -> e.getExpiresAfter().toNanos()).orElse(-1L);
  }

  /** Caffeine's {@code asMap()} iteration reads entries without recording access or statistics. */
  @Override
  public List<Map.Entry<?, ?>> sampleEntries(Cache<?, ?> cache, int limit) {
    return EntrySample.first(cache.asMap(), limit);
  }

  @Override
  public Map<String, Object> customMetrics(Cache<?, ?> cache) {
    Policy<?, ?> policy = cache.policy();
    Map<String, Object> metrics = new LinkedHashMap<>();
    policy
        .eviction()
        .ifPresent(
            eviction -> {
              metrics.put(
                  eviction.isWeighted() ? "maximum_weight" : "maximum_size", eviction.getMaximum());
              eviction.weightedSize().ifPresent(w -> metrics.put("weighted_size", w));
            });
    policy
        .expireAfterWrite()
        .ifPresent(e -> metrics.put("expire_after_write_seconds", e.getExpiresAfter().toSeconds()));
    policy
        .expireAfterAccess()
        .ifPresent(
            e -> metrics.put("expire_after_access_seconds", e.getExpiresAfter().toSeconds()));
    policy
        .refreshAfterWrite()
        .ifPresent(
            e -> metrics.put("refresh_after_write_seconds", e.getRefreshesAfter().toSeconds()));
    return metrics;
  }
}
