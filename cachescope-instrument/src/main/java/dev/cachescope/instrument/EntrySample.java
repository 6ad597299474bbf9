package dev.cachescope.instrument;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Copies the first entries of a map view for {@link dev.cachescope.CacheInspector#sampleEntries}:
 * immutable pairs, so the sample holds no view of the cache. Used only with views whose iteration
 * counts as no access (no statistics, expiry or eviction effects).
 */
public final class EntrySample {
  private EntrySample() {}

  /** Up to {@code limit} entries of {@code map}, in its iteration order. */
  public static List<Map.Entry<?, ?>> first(Map<?, ?> map, int limit) {
    List<Map.Entry<?, ?>> sample = new ArrayList<>(Math.min(limit, 64));
    Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
    while (it.hasNext() && sample.size() < limit) {
      Map.Entry<?, ?> e = it.next();
      if (e.getKey() != null && e.getValue() != null) {
        sample.add(Map.entry(e.getKey(), e.getValue()));
      }
    }
    return sample;
  }
}
