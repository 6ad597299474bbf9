package dev.cachescope.agent;

import dev.cachescope.CacheMonitor;
import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * The Caffeine caches seen from below after an attach, by identity: each maps to its monitor, or to
 * {@link #SKIP} for a cache the agent already monitors through a wrapper (the wrapper's delegate).
 * Held weakly. Reads take no lock (an open-addressing table replaced whole on each write); writes
 * are rare (once per cache) and synchronized.
 */
final class ExistingCaches {
  /** The value for a cache that is counted elsewhere. */
  static final Object SKIP = new Object();

  private volatile Table table = new Table(64);

  /** The monitor (or {@link #SKIP}) of {@code cache}, or null when it was never seen. */
  @Nullable Object get(Object cache) {
    return table.get(cache);
  }

  synchronized void put(Object cache, Object value) {
    Table current = table;
    // At most a quarter full, so that every probe ends at an empty slot soon.
    int live = current.live() + 1;
    int capacity = current.keys.length;
    while (live * 4 > capacity) {
      capacity *= 2;
    }
    Table next = new Table(capacity);
    for (int i = 0; i < current.keys.length; i++) {
      WeakReference<Object> ref = current.keys[i];
      Object key = ref == null ? null : ref.get();
      if (key != null) {
        next.insert(key, current.values[i]);
      }
    }
    next.insert(cache, value);
    table = next;
  }

  private static final class Table {
    final WeakReference<Object>[] keys;
    final Object[] values;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Table(int capacity) {
      keys = new WeakReference[capacity];
      values = new Object[capacity];
    }

    @SuppressWarnings("ReferenceEquality") // by identity: caches are not compared by equals
    @Nullable Object get(Object key) {
      int mask = keys.length - 1;
      for (int i = System.identityHashCode(key) & mask; ; i = (i + 1) & mask) {
        WeakReference<Object> ref = keys[i];
        if (ref == null) {
          return null;
        }
        if (ref.get() == key) {
          return values[i];
        }
      }
    }

    @SuppressWarnings("ReferenceEquality") // by identity, as in get
    void insert(Object key, Object value) {
      int mask = keys.length - 1;
      int i = System.identityHashCode(key) & mask;
      while (keys[i] != null && keys[i].get() != key) {
        i = (i + 1) & mask;
      }
      keys[i] = new WeakReference<>(key);
      values[i] = value;
    }

    int live() {
      int n = 0;
      for (WeakReference<Object> ref : keys) {
        if (ref != null && ref.get() != null) {
          n++;
        }
      }
      return n;
    }
  }

  /** Whether {@code value} is a monitor to record on (not {@link #SKIP}). */
  static @Nullable CacheMonitor monitor(@Nullable Object value) {
    return value instanceof CacheMonitor monitor ? monitor : null;
  }
}
