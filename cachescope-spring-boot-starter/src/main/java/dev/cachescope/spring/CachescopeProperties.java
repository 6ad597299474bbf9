package dev.cachescope.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code cachescope.*}: the keys of {@code monitoring.yaml}'s {@code cache_monitoring} section, in
 * any of Spring's relaxed forms ({@code cachescope.max-operations-history}, {@code
 * cachescope.backends[0].snapshot_interval_seconds}), plus {@code cachescope.tracing.*} for
 * OpenTelemetry. A key left unset takes the file's default; the {@code CACHE_MONITORING_*}
 * environment variables apply on top, as they do to the file. Values are checked as the file's are,
 * and a bad one stops start-up with a message naming the key.
 *
 * <pre>{@code
 * cachescope:
 *   backends:
 *     - type: api
 *       port: 9464
 *   track-keys: false
 *   caches:
 *     "[books]": {track-timing: true}
 *   alerts:
 *     rules:
 *       - {name: low-hit-rate, cache: "*", metric: hit_rate, below: 0.5, for: 1m}
 * }</pre>
 *
 * Cache names with capitals or dots need Spring's bracket notation ({@code caches."[RuleCache]"}).
 */
@ConfigurationProperties("cachescope")
public class CachescopeProperties {
  private @Nullable Boolean enabled;
  private @Nullable List<Backend> backends;
  private @Nullable Integer maxOperationsHistory;
  private @Nullable Boolean trackKeys;
  private @Nullable Integer hitSampleRate;
  private Map<String, Cache> caches = new LinkedHashMap<>();
  private Alerts alerts = new Alerts();
  private Tracing tracing = new Tracing();
  private Dashboard dashboard = new Dashboard();

  /** The master switch; default true. */
  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  /** The backends; unset: the logger backend only, as without a file. */
  public @Nullable List<Backend> getBackends() {
    return backends;
  }

  public void setBackends(@Nullable List<Backend> backends) {
    this.backends = backends;
  }

  /** Operations each cache's history keeps; default 10,000. */
  public @Nullable Integer getMaxOperationsHistory() {
    return maxOperationsHistory;
  }

  public void setMaxOperationsHistory(@Nullable Integer maxOperationsHistory) {
    this.maxOperationsHistory = maxOperationsHistory;
  }

  /** Whether keys are kept and served raw; default false (keys may be private data). */
  public @Nullable Boolean getTrackKeys() {
    return trackKeys;
  }

  public void setTrackKeys(@Nullable Boolean trackKeys) {
    this.trackKeys = trackKeys;
  }

  /** One lookup in this many is timed (a power of two); default 64. */
  public @Nullable Integer getHitSampleRate() {
    return hitSampleRate;
  }

  public void setHitSampleRate(@Nullable Integer hitSampleRate) {
    this.hitSampleRate = hitSampleRate;
  }

  /** Per-cache switches by cache name; caches not listed get all switches on. */
  public Map<String, Cache> getCaches() {
    return caches;
  }

  public void setCaches(Map<String, Cache> caches) {
    this.caches = caches;
  }

  /** Alert rules and where alerts go. */
  public Alerts getAlerts() {
    return alerts;
  }

  public void setAlerts(Alerts alerts) {
    this.alerts = alerts;
  }

  /** OpenTelemetry span events. */
  public Tracing getTracing() {
    return tracing;
  }

  public void setTracing(Tracing tracing) {
    this.tracing = tracing;
  }

  /** The dashboard and API on the application's own server. */
  public Dashboard getDashboard() {
    return dashboard;
  }

  public void setDashboard(Dashboard dashboard) {
    this.dashboard = dashboard;
  }

  /** The settings as {@code monitoring.yaml} writes them under {@code cache_monitoring}. */
  Map<String, Object> toSettings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    putIfSet(settings, "enabled", enabled);
    List<Backend> configured = backends;
    if (configured != null) {
      List<Object> list = new ArrayList<>();
      configured.forEach(b -> list.add(b.toSettings()));
      settings.put("backends", list);
    }
    putIfSet(settings, "max_operations_history", maxOperationsHistory);
    putIfSet(settings, "track_keys", trackKeys);
    putIfSet(settings, "hit_sample_rate", hitSampleRate);
    Map<String, Object> cacheSettings = new LinkedHashMap<>();
    caches.forEach((name, cache) -> cacheSettings.put(name, cache.toSettings()));
    settings.put("caches", cacheSettings);
    settings.put("alerts", alerts.toSettings());
    return settings;
  }

  private static void putIfSet(Map<String, Object> settings, String key, @Nullable Object value) {
    if (value != null) {
      settings.put(key, value);
    }
  }

  /** One backend: {@code logger}, {@code json} or {@code api}, with the file's keys. */
  public static class Backend {
    private @Nullable String type;
    private @Nullable Boolean enabled;
    private @Nullable String logLevel;
    private @Nullable String logFile;
    private @Nullable String dataDir;
    private @Nullable Integer snapshotIntervalSeconds;
    private @Nullable Integer retentionMaxFiles;
    private @Nullable Long retentionMaxAgeSeconds;
    private @Nullable Long retentionMaxBytes;
    private @Nullable String bindAddress;
    private @Nullable Integer port;
    private @Nullable String token;
    private @Nullable Integer threads;

    /** {@code logger}, {@code json} or {@code api}. */
    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }

    /** Whether it runs; default true. */
    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    /** The logger backend's level: TRACE, DEBUG, INFO, WARN or ERROR. */
    public @Nullable String getLogLevel() {
      return logLevel;
    }

    public void setLogLevel(@Nullable String logLevel) {
      this.logLevel = logLevel;
    }

    /** The file the application's logging writes the logger backend's lines to. */
    public @Nullable String getLogFile() {
      return logFile;
    }

    public void setLogFile(@Nullable String logFile) {
      this.logFile = logFile;
    }

    /** The json backend's directory. */
    public @Nullable String getDataDir() {
      return dataDir;
    }

    public void setDataDir(@Nullable String dataDir) {
      this.dataDir = dataDir;
    }

    /** How often snapshots are written or logged. */
    public @Nullable Integer getSnapshotIntervalSeconds() {
      return snapshotIntervalSeconds;
    }

    public void setSnapshotIntervalSeconds(@Nullable Integer snapshotIntervalSeconds) {
      this.snapshotIntervalSeconds = snapshotIntervalSeconds;
    }

    /** Snapshot files kept per cache. */
    public @Nullable Integer getRetentionMaxFiles() {
      return retentionMaxFiles;
    }

    public void setRetentionMaxFiles(@Nullable Integer retentionMaxFiles) {
      this.retentionMaxFiles = retentionMaxFiles;
    }

    /** Snapshot files older than this are deleted. */
    public @Nullable Long getRetentionMaxAgeSeconds() {
      return retentionMaxAgeSeconds;
    }

    public void setRetentionMaxAgeSeconds(@Nullable Long retentionMaxAgeSeconds) {
      this.retentionMaxAgeSeconds = retentionMaxAgeSeconds;
    }

    /** All snapshot files together stay under this. */
    public @Nullable Long getRetentionMaxBytes() {
      return retentionMaxBytes;
    }

    public void setRetentionMaxBytes(@Nullable Long retentionMaxBytes) {
      this.retentionMaxBytes = retentionMaxBytes;
    }

    /** The api backend's address; 127.0.0.1 by default. */
    public @Nullable String getBindAddress() {
      return bindAddress;
    }

    public void setBindAddress(@Nullable String bindAddress) {
      this.bindAddress = bindAddress;
    }

    /** The api backend's port; 0 takes any free one. */
    public @Nullable Integer getPort() {
      return port;
    }

    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    /** When set, the api backend requires {@code Authorization: Bearer <token>}. */
    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }

    /** The api backend's request threads. */
    public @Nullable Integer getThreads() {
      return threads;
    }

    public void setThreads(@Nullable Integer threads) {
      this.threads = threads;
    }

    Map<String, Object> toSettings() {
      Map<String, Object> settings = new LinkedHashMap<>();
      putIfSet(settings, "type", type);
      putIfSet(settings, "enabled", enabled);
      putIfSet(settings, "log_level", logLevel);
      putIfSet(settings, "log_file", logFile);
      putIfSet(settings, "data_dir", dataDir);
      putIfSet(settings, "snapshot_interval_seconds", snapshotIntervalSeconds);
      putIfSet(settings, "retention_max_files", retentionMaxFiles);
      putIfSet(settings, "retention_max_age_seconds", retentionMaxAgeSeconds);
      putIfSet(settings, "retention_max_bytes", retentionMaxBytes);
      putIfSet(settings, "bind_address", bindAddress);
      putIfSet(settings, "port", port);
      putIfSet(settings, "token", token);
      putIfSet(settings, "threads", threads);
      return settings;
    }
  }

  /** One cache's switches. */
  public static class Cache {
    private boolean enabled = true;
    private boolean trackTiming = true;
    private boolean trackMemory = true;

    /** Whether the cache is monitored at all. */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Whether operations are timed. */
    public boolean isTrackTiming() {
      return trackTiming;
    }

    public void setTrackTiming(boolean trackTiming) {
      this.trackTiming = trackTiming;
    }

    /** Whether memory is measured. */
    public boolean isTrackMemory() {
      return trackMemory;
    }

    public void setTrackMemory(boolean trackMemory) {
      this.trackMemory = trackMemory;
    }

    Map<String, Object> toSettings() {
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("enabled", enabled);
      settings.put("track_timing", trackTiming);
      settings.put("track_memory", trackMemory);
      return settings;
    }
  }

  /** Alert rules, how often they are evaluated, and the webhook transitions are POSTed to. */
  public static class Alerts {
    private @Nullable Integer evaluateEverySeconds;
    private @Nullable String webhook;
    private @Nullable Integer webhookTimeoutSeconds;
    private List<Rule> rules = new ArrayList<>();

    /** How often the rules are evaluated; default 5. */
    public @Nullable Integer getEvaluateEverySeconds() {
      return evaluateEverySeconds;
    }

    public void setEvaluateEverySeconds(@Nullable Integer evaluateEverySeconds) {
      this.evaluateEverySeconds = evaluateEverySeconds;
    }

    /** An http(s) URL each fire and resolve is POSTed to as JSON. */
    public @Nullable String getWebhook() {
      return webhook;
    }

    public void setWebhook(@Nullable String webhook) {
      this.webhook = webhook;
    }

    /** How long a webhook POST may take. */
    public @Nullable Integer getWebhookTimeoutSeconds() {
      return webhookTimeoutSeconds;
    }

    public void setWebhookTimeoutSeconds(@Nullable Integer webhookTimeoutSeconds) {
      this.webhookTimeoutSeconds = webhookTimeoutSeconds;
    }

    /** The rules. */
    public List<Rule> getRules() {
      return rules;
    }

    public void setRules(List<Rule> rules) {
      this.rules = rules;
    }

    Map<String, Object> toSettings() {
      Map<String, Object> settings = new LinkedHashMap<>();
      putIfSet(settings, "evaluate_every_seconds", evaluateEverySeconds);
      putIfSet(settings, "webhook", webhook);
      putIfSet(settings, "webhook_timeout_seconds", webhookTimeoutSeconds);
      List<Object> list = new ArrayList<>();
      rules.forEach(r -> list.add(r.toSettings()));
      settings.put("rules", list);
      return settings;
    }
  }

  /** One alert rule, as in {@code monitoring.yaml}. */
  public static class Rule {
    private @Nullable String name;
    private @Nullable String cache;
    private @Nullable String metric;
    private @Nullable Double above;
    private @Nullable Double below;
    private @Nullable Double clear;
    private @Nullable String forDuration;
    private @Nullable Long minRequests;

    /** The rule's name, unique among the rules. */
    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    /** A cache name, or {@code *} for every cache (the default). */
    public @Nullable String getCache() {
      return cache;
    }

    public void setCache(@Nullable String cache) {
      this.cache = cache;
    }

    /**
     * {@code hit_rate}, {@code miss_rate}, {@code p99_ms}, {@code evictions_per_s} or {@code
     * memory_bytes}.
     */
    public @Nullable String getMetric() {
      return metric;
    }

    public void setMetric(@Nullable String metric) {
      this.metric = metric;
    }

    /** Fires when the metric is above this. */
    public @Nullable Double getAbove() {
      return above;
    }

    public void setAbove(@Nullable Double above) {
      this.above = above;
    }

    /** Fires when the metric is below this. */
    public @Nullable Double getBelow() {
      return below;
    }

    public void setBelow(@Nullable Double below) {
      this.below = below;
    }

    /** Resolves only past this value (hysteresis); default the threshold. */
    public @Nullable Double getClear() {
      return clear;
    }

    public void setClear(@Nullable Double clear) {
      this.clear = clear;
    }

    /** How long the condition must hold before firing, such as {@code 30s} or {@code 1m}. */
    public @Nullable String getFor() {
      return forDuration;
    }

    public void setFor(@Nullable String forDuration) {
      this.forDuration = forDuration;
    }

    /** Lookups a window needs before a rate rule judges it. */
    public @Nullable Long getMinRequests() {
      return minRequests;
    }

    public void setMinRequests(@Nullable Long minRequests) {
      this.minRequests = minRequests;
    }

    Map<String, Object> toSettings() {
      Map<String, Object> settings = new LinkedHashMap<>();
      putIfSet(settings, "name", name);
      putIfSet(settings, "cache", cache);
      putIfSet(settings, "metric", metric);
      putIfSet(settings, "above", above);
      putIfSet(settings, "below", below);
      putIfSet(settings, "clear", clear);
      putIfSet(settings, "for", forDuration);
      putIfSet(settings, "min_requests", minRequests);
      return settings;
    }
  }

  /** Span events for cache operations inside an active OpenTelemetry span. */
  public static class Tracing {
    private boolean enabled = true;
    private int sampleRate = 1;

    /** Whether operations add span events when OpenTelemetry is on the class path; default true. */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * One operation in this many, among those inside a span the tracer records, adds an event;
     * default 1 (each). Spans the tracer does not record cost one check and get nothing.
     */
    public int getSampleRate() {
      return sampleRate;
    }

    public void setSampleRate(int sampleRate) {
      this.sampleRate = sampleRate;
    }
  }

  /**
   * The dashboard and the whole API ({@code …/api/metrics/cache/summary}, {@code …/health}, {@code
   * …/metrics}) served by the application's own servlet container under {@link #getPath()}. Off by
   * default: whoever reaches the application reaches it, so set a token or protect the path.
   */
  public static class Dashboard {
    private boolean enabled;
    private String path = "/cachescope";
    private @Nullable String token;

    /** Whether to serve it; default false. */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** Where: a path such as {@code /cachescope} (the default); the page is at its slash. */
    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    /**
     * When set, the data needs {@code Authorization: Bearer <token>}; open the page at {@code
     * #token=…}.
     */
    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }
  }
}
