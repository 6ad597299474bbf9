package dev.cachescope;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;

/**
 * The cache a monitor reports on, held weakly, with the inspector that reads it. Every read runs
 * the cache's own code, so callers read it outside the drain lock and treat what it throws as a
 * monitoring fault.
 */
final class CacheBinding<C> {
  private final WeakReference<C> cache;
  private final CacheInspector<? super C> inspector;

  CacheBinding(C cache, CacheInspector<? super C> inspector) {
    this.cache = new WeakReference<>(cache);
    this.inspector = inspector;
  }

  /** What a snapshot reports of the cache itself; {@link #NONE} when no cache is bound. */
  record Reading(
      long entries, long memoryBytes, Map<String, Object> customMetrics, long capacity, long ttl) {
    static final Reading NONE = new Reading(0, -1, Map.of(), -1, -1);
  }

  boolean isCollected() {
    return cache.get() == null;
  }

  /** Reads the cache; may throw whatever the inspector throws. */
  Reading read() {
    C c = cache.get();
    if (c == null) {
      return new Reading(0, -1, Map.of("collected", true), -1, -1);
    }
    return new Reading(
        inspector.entries(c),
        inspector.memoryBytes(c),
        inspector.customMetrics(c),
        inspector.capacity(c),
        inspector.ttlNanos(c));
  }

  long entries() {
    C c = cache.get();
    return c == null ? 0 : inspector.entries(c);
  }

  List<? extends Map.Entry<?, ?>> sampleEntries(int limit) {
    C c = cache.get();
    return c == null ? List.of() : inspector.sampleEntries(c, limit);
  }
}
