package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheInspector;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.ehcache.core.spi.service.StatisticsService;
import org.ehcache.core.statistics.CacheStatistics;
import org.ehcache.core.statistics.TierStatistics;
import org.jspecify.annotations.Nullable;

/**
 * Ehcache 3's per-tier statistics behind its JCache provider: which tier served a hit, how many
 * entries each tier maps, and the heap's occupied bytes.
 *
 * <p>Ehcache's JCache manager keeps its {@code StatisticsService} in a private field and offers no
 * public way to it, so it is read reflectively. Loaded only when the delegate manager is Ehcache's;
 * any failure leaves the cache monitored without tier data.
 */
final class EhcacheTiers {
  static final String MANAGER_CLASS = "org.ehcache.jsr107.Eh107CacheManager";

  /** Lowest tier first: the authority, which holds every entry. */
  private static final List<String> AUTHORITY_ORDER = List.of("Disk", "OffHeap", "OnHeap");

  private static final System.Logger LOG = System.getLogger("dev.cachescope");

  private EhcacheTiers() {}

  /** The tier data of {@code cacheName}, or null when Ehcache's statistics cannot be read. */
  static @Nullable TierData of(CacheManager manager, String cacheName) {
    try {
      Field field = manager.getClass().getDeclaredField("statisticsService");
      field.setAccessible(true);
      StatisticsService service = (StatisticsService) field.get(manager);
      CacheStatistics statistics = service.getCacheStatistics(cacheName);
      return new TierData(probe(statistics), inspector(statistics), departures(statistics));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LOG.log(
          System.Logger.Level.INFO,
          "cachescope: Ehcache tier statistics unavailable for '"
              + cacheName
              + "' ("
              + e
              + "); hits are reported as memory");
      return null;
    }
  }

  /** The disk tier's hits. */
  private static MonitoredJCache.StatisticsProbe probe(CacheStatistics statistics) {
    return () -> {
      TierStatistics disk = statistics.getTierStatistics().get("Disk");
      return disk == null ? 0 : disk.getHits();
    };
  }

  /**
   * Departures from the authority tier, the lowest, which holds every entry: an entry evicted from
   * the heap into the disk tier is still in the cache, so the heap's evictions are not counted.
   */
  private static TierData.Departures departures(CacheStatistics statistics) {
    return new TierData.Departures() {
      @Override
      public long evicted() {
        TierStatistics authority = authority(statistics.getTierStatistics());
        return authority == null ? 0 : authority.getEvictions();
      }

      @Override
      public long expired() {
        TierStatistics authority = authority(statistics.getTierStatistics());
        return authority == null ? 0 : authority.getExpirations();
      }
    };
  }

  private static @Nullable TierStatistics authority(Map<String, TierStatistics> tiers) {
    for (String tier : AUTHORITY_ORDER) {
      TierStatistics t = tiers.get(tier);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** Entries from the authority tier, heap bytes, and every tier's numbers as custom metrics. */
  private static CacheInspector<Cache<?, ?>> inspector(CacheStatistics statistics) {
    return new CacheInspector<>() {
      @Override
      public long entries(Cache<?, ?> cache) {
        TierStatistics authority = authority(statistics.getTierStatistics());
        return authority == null ? 0 : Math.max(0, authority.getMappings());
      }

      @Override
      public long memoryBytes(Cache<?, ?> cache) {
        TierStatistics heap = statistics.getTierStatistics().get("OnHeap");
        return heap == null || heap.getOccupiedByteSize() < 0 ? -1 : heap.getOccupiedByteSize();
      }

      @Override
      public Map<String, Object> customMetrics(Cache<?, ?> cache) {
        Map<String, Object> tiers = new LinkedHashMap<>();
        statistics
            .getTierStatistics()
            .forEach(
                (name, t) -> {
                  Map<String, Object> values = new LinkedHashMap<>();
                  values.put("hits", t.getHits());
                  values.put("misses", t.getMisses());
                  values.put("mappings", t.getMappings());
                  values.put("evictions", t.getEvictions());
                  values.put("expirations", t.getExpirations());
                  values.put("occupied_bytes", t.getOccupiedByteSize());
                  tiers.put(name, values);
                });
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("provider", "ehcache");
        metrics.put("tiers", tiers);
        return metrics;
      }
    };
  }
}
