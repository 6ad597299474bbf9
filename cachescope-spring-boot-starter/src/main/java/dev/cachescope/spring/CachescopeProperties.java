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
  /** The master switch; default true. */
  private @Nullable Boolean enabled;

  /** The backends; unset: the logger backend only, as without a file. */
  private @Nullable List<Backend> backends;

  /** Operations each cache's history keeps; default 10,000. */
  private @Nullable Integer maxOperationsHistory;

  /** Whether keys are kept and served raw; default false (keys may be private data). */
  private @Nullable Boolean trackKeys;

  /** One lookup in this many is timed (a power of two); default 64. */
  private @Nullable Integer hitSampleRate;

  /** Per-cache switches by cache name; caches not listed get all switches on. */
  private Map<String, Cache> caches = new LinkedHashMap<>();

  /** Alert rules and where alerts go. */
  private Alerts alerts = new Alerts();

  /** OpenTelemetry span events. */
  private Tracing tracing = new Tracing();

  /** The dashboard and API on the application's own server. */
  private Dashboard dashboard = new Dashboard();

  public @Nullable Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(@Nullable Boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable List<Backend> getBackends() {
    return backends;
  }

  public void setBackends(@Nullable List<Backend> backends) {
    this.backends = backends;
  }

  public @Nullable Integer getMaxOperationsHistory() {
    return maxOperationsHistory;
  }

  public void setMaxOperationsHistory(@Nullable Integer maxOperationsHistory) {
    this.maxOperationsHistory = maxOperationsHistory;
  }

  public @Nullable Boolean getTrackKeys() {
    return trackKeys;
  }

  public void setTrackKeys(@Nullable Boolean trackKeys) {
    this.trackKeys = trackKeys;
  }

  public @Nullable Integer getHitSampleRate() {
    return hitSampleRate;
  }

  public void setHitSampleRate(@Nullable Integer hitSampleRate) {
    this.hitSampleRate = hitSampleRate;
  }

  public Map<String, Cache> getCaches() {
    return caches;
  }

  public void setCaches(Map<String, Cache> caches) {
    this.caches = caches;
  }

  public Alerts getAlerts() {
    return alerts;
  }

  public void setAlerts(Alerts alerts) {
    this.alerts = alerts;
  }

  public Tracing getTracing() {
    return tracing;
  }

  public void setTracing(Tracing tracing) {
    this.tracing = tracing;
  }

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
    /** {@code logger}, {@code json} or {@code api}. */
    private @Nullable String type;

    /** Whether it runs; default true. */
    private @Nullable Boolean enabled;

    /** The logger backend's level: TRACE, DEBUG, INFO, WARN or ERROR. */
    private @Nullable String logLevel;

    /** The file the application's logging writes the logger backend's lines to. */
    private @Nullable String logFile;

    /** The json backend's directory. */
    private @Nullable String dataDir;

    /** How often snapshots are written or logged. */
    private @Nullable Integer snapshotIntervalSeconds;

    /** Snapshot files kept per cache. */
    private @Nullable Integer retentionMaxFiles;

    /** Snapshot files older than this are deleted. */
    private @Nullable Long retentionMaxAgeSeconds;

    /** All snapshot files together stay under this. */
    private @Nullable Long retentionMaxBytes;

    /** The api backend's address; 127.0.0.1 by default. */
    private @Nullable String bindAddress;

    /** The api backend's port; 0 takes any free one. */
    private @Nullable Integer port;

    /** When set, the api backend requires {@code Authorization: Bearer <token>}. */
    private @Nullable String token;

    /** The api backend's request threads. */
    private @Nullable Integer threads;

    public @Nullable String getType() {
      return type;
    }

    public void setType(@Nullable String type) {
      this.type = type;
    }

    public @Nullable Boolean getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable Boolean enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getLogLevel() {
      return logLevel;
    }

    public void setLogLevel(@Nullable String logLevel) {
      this.logLevel = logLevel;
    }

    public @Nullable String getLogFile() {
      return logFile;
    }

    public void setLogFile(@Nullable String logFile) {
      this.logFile = logFile;
    }

    public @Nullable String getDataDir() {
      return dataDir;
    }

    public void setDataDir(@Nullable String dataDir) {
      this.dataDir = dataDir;
    }

    public @Nullable Integer getSnapshotIntervalSeconds() {
      return snapshotIntervalSeconds;
    }

    public void setSnapshotIntervalSeconds(@Nullable Integer snapshotIntervalSeconds) {
      this.snapshotIntervalSeconds = snapshotIntervalSeconds;
    }

    public @Nullable Integer getRetentionMaxFiles() {
      return retentionMaxFiles;
    }

    public void setRetentionMaxFiles(@Nullable Integer retentionMaxFiles) {
      this.retentionMaxFiles = retentionMaxFiles;
    }

    public @Nullable Long getRetentionMaxAgeSeconds() {
      return retentionMaxAgeSeconds;
    }

    public void setRetentionMaxAgeSeconds(@Nullable Long retentionMaxAgeSeconds) {
      this.retentionMaxAgeSeconds = retentionMaxAgeSeconds;
    }

    public @Nullable Long getRetentionMaxBytes() {
      return retentionMaxBytes;
    }

    public void setRetentionMaxBytes(@Nullable Long retentionMaxBytes) {
      this.retentionMaxBytes = retentionMaxBytes;
    }

    public @Nullable String getBindAddress() {
      return bindAddress;
    }

    public void setBindAddress(@Nullable String bindAddress) {
      this.bindAddress = bindAddress;
    }

    public @Nullable Integer getPort() {
      return port;
    }

    public void setPort(@Nullable Integer port) {
      this.port = port;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }

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
    /** Whether the cache is monitored at all. */
    private boolean enabled = true;

    /** Whether operations are timed. */
    private boolean trackTiming = true;

    /** Whether memory is measured. */
    private boolean trackMemory = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public boolean isTrackTiming() {
      return trackTiming;
    }

    public void setTrackTiming(boolean trackTiming) {
      this.trackTiming = trackTiming;
    }

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
    /** How often the rules are evaluated; default 5. */
    private @Nullable Integer evaluateEverySeconds;

    /** An http(s) URL each fire and resolve is POSTed to as JSON. */
    private @Nullable String webhook;

    /** How long a webhook POST may take. */
    private @Nullable Integer webhookTimeoutSeconds;

    /** The rules. */
    private List<Rule> rules = new ArrayList<>();

    public @Nullable Integer getEvaluateEverySeconds() {
      return evaluateEverySeconds;
    }

    public void setEvaluateEverySeconds(@Nullable Integer evaluateEverySeconds) {
      this.evaluateEverySeconds = evaluateEverySeconds;
    }

    public @Nullable String getWebhook() {
      return webhook;
    }

    public void setWebhook(@Nullable String webhook) {
      this.webhook = webhook;
    }

    public @Nullable Integer getWebhookTimeoutSeconds() {
      return webhookTimeoutSeconds;
    }

    public void setWebhookTimeoutSeconds(@Nullable Integer webhookTimeoutSeconds) {
      this.webhookTimeoutSeconds = webhookTimeoutSeconds;
    }

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
    /** The rule's name, unique among the rules. */
    private @Nullable String name;

    /** A cache name, or {@code *} for every cache (the default). */
    private @Nullable String cache;

    /**
     * {@code hit_rate}, {@code miss_rate}, {@code p99_ms}, {@code evictions_per_s} or {@code
     * memory_bytes}.
     */
    private @Nullable String metric;

    /** Fires when the metric is above this. */
    private @Nullable Double above;

    /** Fires when the metric is below this. */
    private @Nullable Double below;

    /** Resolves only past this value (hysteresis); default the threshold. */
    private @Nullable Double clear;

    /** How long the condition must hold before firing, such as {@code 30s} or {@code 1m}. */
    private @Nullable String forDuration;

    /** Lookups a window needs before a rate rule judges it. */
    private @Nullable Long minRequests;

    public @Nullable String getName() {
      return name;
    }

    public void setName(@Nullable String name) {
      this.name = name;
    }

    public @Nullable String getCache() {
      return cache;
    }

    public void setCache(@Nullable String cache) {
      this.cache = cache;
    }

    public @Nullable String getMetric() {
      return metric;
    }

    public void setMetric(@Nullable String metric) {
      this.metric = metric;
    }

    public @Nullable Double getAbove() {
      return above;
    }

    public void setAbove(@Nullable Double above) {
      this.above = above;
    }

    public @Nullable Double getBelow() {
      return below;
    }

    public void setBelow(@Nullable Double below) {
      this.below = below;
    }

    public @Nullable Double getClear() {
      return clear;
    }

    public void setClear(@Nullable Double clear) {
      this.clear = clear;
    }

    public @Nullable String getFor() {
      return forDuration;
    }

    public void setFor(@Nullable String forDuration) {
      this.forDuration = forDuration;
    }

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
    /** Whether operations add span events when OpenTelemetry is on the class path; default true. */
    private boolean enabled = true;

    /**
     * One operation in this many, among those inside a span the tracer records, adds an event;
     * default 1 (each). Spans the tracer does not record cost one check and get nothing.
     */
    private int sampleRate = 1;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

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
    /** Whether to serve it; default false. */
    private boolean enabled;

    /** Where: a path such as {@code /cachescope} (the default); the page is at its slash. */
    private String path = "/cachescope";

    /**
     * When set, the data needs {@code Authorization: Bearer <token>}; open the page at {@code
     * #token=…}.
     */
    private @Nullable String token;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public @Nullable String getToken() {
      return token;
    }

    public void setToken(@Nullable String token) {
      this.token = token;
    }
  }
}
