package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.kit.AdapterCompatibilityKit;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The kit over {@code CaffeineMonitoring.buildAsync}. */
class CaffeineAsyncKitTest extends AdapterCompatibilityKit {
  private @Nullable AsyncCache<String, String> cache;

  @Override
  protected void create(MetricsAggregator aggregator, int maximumSize) {
    cache =
        CaffeineMonitoring.buildAsync(
            Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(Duration.ofMinutes(1))
                .ticker(nanos::get)
                .executor(Runnable::run),
            aggregator,
            NAME);
  }

  private AsyncCache<String, String> cache() {
    return Objects.requireNonNull(cache);
  }

  @Override
  protected void put(String key, String value) {
    cache().put(key, CompletableFuture.completedFuture(value));
  }

  @Override
  protected @Nullable String get(String key) {
    CompletableFuture<String> future = cache().getIfPresent(key);
    return future == null ? null : future.join();
  }

  @Override
  protected @Nullable String load(String key, Function<String, String> loader) {
    return cache().get(key, loader).join();
  }

  @Override
  protected void remove(String key) {
    cache().synchronous().invalidate(key);
  }

  @Override
  protected void clear() {
    cache().synchronous().invalidateAll();
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
    AsyncCache<String, String> c = cache;
    if (c != null) {
      c.synchronous().cleanUp();
    }
  }
}
