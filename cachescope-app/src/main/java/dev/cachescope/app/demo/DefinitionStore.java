package dev.cachescope.app.demo;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.jcache.JCacheMonitoring;
import java.nio.file.Path;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.config.DefaultConfiguration;
import org.ehcache.impl.config.persistence.DefaultPersistenceConfiguration;
import org.ehcache.jsr107.Eh107Configuration;
import org.ehcache.jsr107.EhcacheCachingProvider;

/**
 * The seed design's CacheManager and FileCache with Ehcache 3 through JCache: {@code FileCache}
 * keeps definitions in a small heap tier over a persistent disk tier under {@code data/}, so its
 * hits come from memory or disk; {@code CacheManager} is a heap-only LRU cache.
 */
public final class DefinitionStore implements AutoCloseable {
  private final CacheManager manager;
  private final Cache<String, String> files;
  private final Cache<String, String> memory;

  /** Opens the caches, the disk tier in {@code directory}, monitored as {@code config} says. */
  public DefinitionStore(Path directory, MetricsAggregator aggregator, MonitoringConfig config) {
    EhcacheCachingProvider provider = new EhcacheCachingProvider();
    this.manager =
        provider.getCacheManager(
            provider.getDefaultURI(),
            new DefaultConfiguration(
                getClass().getClassLoader(),
                new DefaultPersistenceConfiguration(directory.toFile())));
    Cache<String, String> fileCache =
        manager.createCache(
            "FileCache",
            Eh107Configuration.fromEhcacheCacheConfiguration(
                CacheConfigurationBuilder.newCacheConfigurationBuilder(
                    String.class,
                    String.class,
                    ResourcePoolsBuilder.heap(100).disk(64, MemoryUnit.MB, true))));
    Cache<String, String> managerCache =
        manager.createCache(
            "CacheManager",
            Eh107Configuration.fromEhcacheCacheConfiguration(
                CacheConfigurationBuilder.newCacheConfigurationBuilder(
                    String.class, String.class, ResourcePoolsBuilder.heap(300))));
    this.files =
        JCacheMonitoring.monitor(fileCache, aggregator, config.monitorOptions("FileCache"));
    this.memory =
        JCacheMonitoring.monitor(managerCache, aggregator, config.monitorOptions("CacheManager"));
  }

  /** The FileCache: definitions on disk, hot ones on the heap. */
  public Cache<String, String> files() {
    return files;
  }

  /** The CacheManager: recent lookups, heap only. */
  public Cache<String, String> memory() {
    return memory;
  }

  /** Closes the caches, writing the disk tier. */
  @Override
  public void close() {
    manager.close();
  }
}
