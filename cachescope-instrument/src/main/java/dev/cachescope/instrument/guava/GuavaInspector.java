package dev.cachescope.instrument.guava;

import com.google.common.cache.Cache;
import dev.cachescope.CacheInspector;
import dev.cachescope.instrument.EntrySample;
import java.util.List;
import java.util.Map;

/**
 * A Guava cache's size and a sample of its entries: iterating {@code asMap()} reads live entries
 * without recording access.
 */
enum GuavaInspector implements CacheInspector<Cache<?, ?>> {
  INSTANCE;

  @Override
  public long entries(Cache<?, ?> cache) {
    return cache.size();
  }

  @Override
  public List<Map.Entry<?, ?>> sampleEntries(Cache<?, ?> cache, int limit) {
    return EntrySample.first(cache.asMap(), limit);
  }
}
