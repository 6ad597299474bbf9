package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import dev.cachescope.CacheInspector;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a Caffeine cache's size and its policy's settings for snapshots. */
final class CaffeineInspector implements CacheInspector<Cache<?, ?>> {
  static final CaffeineInspector INSTANCE = new CaffeineInspector();

  @Override
  public long entries(Cache<?, ?> cache) {
    return cache.estimatedSize();
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
