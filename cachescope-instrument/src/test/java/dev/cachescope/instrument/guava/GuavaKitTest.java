package dev.cachescope.instrument.guava;

import com.google.common.base.Ticker;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.kit.AdapterCompatibilityKit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The kit over {@code GuavaMonitoring.build}. */
class GuavaKitTest extends AdapterCompatibilityKit {
  private @Nullable Cache<String, String> cache;

  @Override
  protected void create(MetricsAggregator aggregator, int maximumSize) {
    cache =
        GuavaMonitoring.build(
            CacheBuilder.newBuilder()
                .concurrencyLevel(1)
                .maximumSize(maximumSize)
                .expireAfterWrite(Duration.ofMinutes(1))
                .ticker(
                    new Ticker() {
                      @Override
                      public long read() {
                        return nanos.get();
                      }
                    }),
            aggregator,
            NAME);
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
    try {
      return cache().get(key, () -> loader.apply(key));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
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

  @Override
  protected boolean evictsBySize() {
    return true;
  }

  @Override
  protected boolean expires() {
    return true;
  }

  @Override
  protected void cleanUp() {
    Cache<String, String> c = cache;
    if (c != null) {
      c.cleanUp();
    }
  }
}
