package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.kit.AdapterCompatibilityKit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The kit over {@code CaffeineMonitoring.monitor(existingCache)}: loads timed by the wrapper. */
class CaffeineWrappedKitTest extends AdapterCompatibilityKit {
  private @Nullable Cache<String, String> cache;

  @Override
  protected void create(MetricsAggregator aggregator, int maximumSize) {
    cache =
        CaffeineMonitoring.monitor(Caffeine.newBuilder().<String, String>build(), aggregator, NAME);
  }

  private Cache<String, String> cache() {
    return Objects.requireNonNull(cache);
  }

  @Override
  protected void put(String key, String value) {
    cache().put(key, value);
  }

  @Override
  protected @Nullable String get(String key) {
    return cache().getIfPresent(key);
  }

  @Override
  protected @Nullable String load(String key, Function<String, String> loader) {
    return cache().get(key, loader);
  }

  @Override
  protected void remove(String key) {
    cache().invalidate(key);
  }

  @Override
  protected void clear() {
    cache().invalidateAll();
  }

  @Override
  protected @Nullable Map<String, String> getAllPresent(List<String> keys) {
    return cache().getAllPresent(keys);
  }

  @Override
  protected @Nullable Boolean putIfAbsent(String key, String value) {
    return cache().asMap().putIfAbsent(key, value) == null;
  }

  @Override
  protected void drop() {
    cache = null;
  }
}
