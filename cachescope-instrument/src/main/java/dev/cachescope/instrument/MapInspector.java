package dev.cachescope.instrument;

import dev.cachescope.CacheInspector;
import java.util.List;
import java.util.Map;

/** A map's size and a sample of its entries (map iteration has no side effects). */
enum MapInspector implements CacheInspector<Map<?, ?>> {
  INSTANCE;

  @Override
  public long entries(Map<?, ?> map) {
    return map.size();
  }

  @Override
  public List<Map.Entry<?, ?>> sampleEntries(Map<?, ?> map, int limit) {
    return EntrySample.first(map, limit);
  }
}
