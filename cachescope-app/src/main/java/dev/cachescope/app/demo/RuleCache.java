package dev.cachescope.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.EntrySample;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The seed design's RuleCache: validation rules read from JSON files in a rules directory, cached
 * for 3600 s in a monitored Caffeine cache. Unlike the original, which always reported hits, every
 * lookup is a real hit or miss. Custom metrics: {@code get_all_calls}, {@code get_single_calls},
 * {@code cache_dir}.
 */
public final class RuleCache {
  private static final String ALL = "*all_rules*";
  private static final Duration TTL = Duration.ofSeconds(3600);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final LoadingCache<String, Object> cache;
  private final AtomicLong getAllCalls = new AtomicLong();
  private final AtomicLong getSingleCalls = new AtomicLong();

  /** Caches the rules in {@code directory}, monitored with {@code options}. */
  public RuleCache(Path directory, MetricsAggregator aggregator, CacheMonitor.Builder options) {
    this.directory = directory;
    this.cache =
        CaffeineMonitoring.build(
            Caffeine.newBuilder().expireAfterWrite(TTL), this::load, aggregator, options);
    aggregator
        .monitor(options.build().name())
        .ifPresent(monitor -> monitor.inspect(this, new Inspector()));
  }

  /**
   * Copies the rules shipped with the demo into {@code directory} unless it already has rules.
   *
   * @return how many rules it holds
   */
  public static int installShippedRules(Path directory) throws IOException {
    Files.createDirectories(directory);
    List<String> ids;
    try (InputStream index = resource("index.txt")) {
      ids =
          new String(index.readAllBytes(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank())
              .toList();
    }
    for (String id : ids) {
      Path file = directory.resolve(id + ".json");
      if (!Files.exists(file)) {
        try (InputStream in = resource(id + ".json")) {
          Files.copy(in, file);
        }
      }
    }
    return ids.size();
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = RuleCache.class.getResourceAsStream("/demo/rules/" + name);
    if (in == null) {
      throw new IOException("demo rule resource missing: " + name);
    }
    return in;
  }

  /** All rules by id (the seed design's {@code get_all_rules}). */
  @SuppressWarnings("unchecked") // the ALL entry holds the map the loader built
  public Map<String, Rule> getAllRules() {
    getAllCalls.incrementAndGet();
    return (Map<String, Rule>) Objects.requireNonNull(cache.get(ALL));
  }

  /**
   * One rule, or null if there is no such rule (the seed design's {@code get_rule}); a rule that
   * does not exist is a failed load, not cached.
   */
  public @Nullable Rule getRule(String id) {
    getSingleCalls.incrementAndGet();
    try {
      return (Rule) cache.get(id);
    } catch (NoSuchElementException e) {
      return null;
    }
  }

  private Object load(String key) throws IOException {
    if (key.equals(ALL)) {
      Map<String, Rule> all = new LinkedHashMap<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
        for (Path file : files) {
          Rule rule = JSON.readValue(file.toFile(), Rule.class);
          all.put(rule.id(), rule);
        }
      }
      return Map.copyOf(all);
    }
    Path file = directory.resolve(key + ".json").normalize();
    if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
      throw new NoSuchElementException("no rule " + key + " in " + directory);
    }
    return JSON.readValue(file.toFile(), Rule.class);
  }

  /** Caffeine's entry count plus the seed design's RuleCache statistics. */
  private static final class Inspector implements CacheInspector<RuleCache> {
    @Override
    public long entries(RuleCache rules) {
      return rules.cache.estimatedSize();
    }

    @Override
    public long ttlNanos(RuleCache rules) {
      return TTL.toNanos();
    }

    /** The monitored map view's entry iteration passes straight to Caffeine's: no lookups. */
    @Override
    public List<Map.Entry<?, ?>> sampleEntries(RuleCache rules, int limit) {
      return EntrySample.first(rules.cache.asMap(), limit);
    }

    @Override
    public Map<String, Object> customMetrics(RuleCache rules) {
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("get_all_calls", rules.getAllCalls.get());
      metrics.put("get_single_calls", rules.getSingleCalls.get());
      metrics.put("cache_dir", rules.directory.toAbsolutePath().toString());
      metrics.put("ttl_seconds", TTL.toSeconds());
      return metrics;
    }
  }
}
