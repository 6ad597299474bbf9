package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import dev.cachescope.SizingModel;
import java.lang.ref.WeakReference;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Sizing advice for a Caffeine cache bounded by entry count, simulated by real Caffeine caches
 * (W-TinyLFU, the same library the user runs): miniatures built with {@code maximumSize} and a
 * same-thread executor, so that each one evicts synchronously on the thread that drains the
 * monitor's sizing samples. A cache bounded by weight, or not bounded, has no model here (capacity
 * 0), and its advice stays LRU. The cache is held weakly.
 */
final class CaffeineSizingModel implements SizingModel {
  private final WeakReference<Cache<?, ?>> cache;

  CaffeineSizingModel(Cache<?, ?> cache) {
    this.cache = new WeakReference<>(cache);
  }

  @Override
  public String name() {
    return "caffeine";
  }

  @Override
  public long capacity() {
    Cache<?, ?> c = cache.get();
    if (c == null) {
      return 0;
    }
    Optional<? extends Policy.Eviction<?, ?>> eviction = c.policy().eviction();
    return eviction.isPresent() && !eviction.get().isWeighted() ? eviction.get().getMaximum() : 0;
  }

  @Override
  public Miniature miniature(long capacity) {
    return new CaffeineMiniature(capacity);
  }

  /** One miniature: a real Caffeine cache of sampled key hashes. */
  private static final class CaffeineMiniature implements Miniature {
    private final Cache<Integer, Boolean> cache;

    CaffeineMiniature(long capacity) {
      cache = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    }

    @Override
    public boolean lookup(int key) {
      if (cache.getIfPresent(key) != null) {
        return true;
      }
      cache.put(key, Boolean.TRUE);
      return false;
    }

    @Override
    public void put(int key) {
      cache.put(key, Boolean.TRUE);
    }

    @Override
    public void remove(int key) {
      cache.invalidate(key);
    }

    @Override
    public void clear() {
      cache.invalidateAll();
    }

    @Override
    public void resize(long capacity) {
      cache.policy().eviction().ifPresent(e -> e.setMaximum(capacity));
    }

    @Override
    public void retain(IntPredicate keep) {
      cache.asMap().keySet().removeIf(k -> !keep.test(k));
    }
  }
}
