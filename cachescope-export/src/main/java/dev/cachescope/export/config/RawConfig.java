package dev.cachescope.export.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import dev.cachescope.alert.AlertRule;
import dev.cachescope.export.Monitoring;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shape of {@code monitoring.yaml} as Jackson reads it, defaults included. Setters validate, so
 * that Jackson reports a bad value with its line and key path.
 */
final class RawConfig {
  @JsonProperty("cache_monitoring")
  Monitoring cacheMonitoring = new Monitoring();

  static final class Monitoring {
    @JsonProperty boolean enabled = true;
    @JsonProperty @Nullable List<Backend> backends;
    int maxOperationsHistory = 10_000;
    @JsonProperty boolean trackKeys;
    int hitSampleRate = 1 << 20;
    @JsonProperty Map<String, Cache> caches = new LinkedHashMap<>();
    @JsonProperty Alerts alerts = new Alerts();

    @JsonSetter("max_operations_history")
    void setMaxOperationsHistory(int value) {
      if (value < 0 || value > 10_000_000) {
        throw new IllegalArgumentException(
            "expected a number of operations from 0 to 10000000, got " + value);
      }
      maxOperationsHistory = value;
    }

    @JsonSetter("hit_sample_rate")
    void setHitSampleRate(int value) {
      if (value < 1 || value > (1 << 20) || Integer.bitCount(value) != 1) {
        throw new IllegalArgumentException(
            "expected a power of two from 1 to 1048576 (1 times every lookup), got " + value);
      }
      hitSampleRate = value;
    }

    List<Backend> backendsOrDefault() {
      List<Backend> list = backends;
      if (list != null) {
        return list;
      }
      List<Backend> defaults = new ArrayList<>();
      for (BackendType type : BackendType.values()) {
        Backend backend = new Backend();
        backend.type = type;
        backend.enabled = type == BackendType.LOGGER;
        defaults.add(backend);
      }
      return defaults;
    }
  }

  static final class Backend {
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    @Nullable BackendType type;
    @JsonProperty boolean enabled = true;
    String logLevel = "INFO";
    @JsonProperty String logFile = "logs/cache_metrics.log";
    @JsonProperty String dataDir = "data/metrics";
    int snapshotIntervalSeconds = 300;
    int retentionMaxFiles = 2_000;
    long retentionMaxAgeSeconds = 7 * 24 * 3600L;
    long retentionMaxBytes = 100L * 1024 * 1024;
    @JsonProperty String bindAddress = "127.0.0.1";
    int port = 8080;
    @JsonProperty @Nullable String token;
    int threads = 4;
    @JsonProperty List<String> allowedHosts = new ArrayList<>();

    @JsonSetter("type")
    void setType(String value) {
      String name = value.trim().toUpperCase(Locale.ROOT);
      for (BackendType candidate : BackendType.values()) {
        if (candidate.name().equals(name)) {
          type = candidate;
          return;
        }
      }
      throw new IllegalArgumentException("expected one of logger, json, api, got " + quoted(value));
    }

    @JsonSetter("log_level")
    void setLogLevel(String value) {
      String level = value.trim().toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        throw new IllegalArgumentException(
            "expected one of TRACE, DEBUG, INFO, WARN, ERROR, got " + quoted(value));
      }
      logLevel = level;
    }

    @JsonSetter("snapshot_interval_seconds")
    void setSnapshotIntervalSeconds(int value) {
      snapshotIntervalSeconds = positive(value, "a number of seconds");
    }

    @JsonSetter("retention_max_files")
    void setRetentionMaxFiles(int value) {
      retentionMaxFiles = positive(value, "a number of files");
    }

    @JsonSetter("retention_max_age_seconds")
    void setRetentionMaxAgeSeconds(long value) {
      retentionMaxAgeSeconds = positive((int) Math.min(value, Integer.MAX_VALUE), "seconds");
    }

    @JsonSetter("retention_max_bytes")
    void setRetentionMaxBytes(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("expected a positive number of bytes, got " + value);
      }
      retentionMaxBytes = value;
    }

    @JsonSetter("port")
    void setPort(int value) {
      if (value < 0 || value > 65_535) {
        throw new IllegalArgumentException(
            "expected a port from 0 to 65535 (0 = any free port), got " + value);
      }
      port = value;
    }

    @JsonSetter("threads")
    void setThreads(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("expected 1 to 64 threads, got " + value);
      }
      threads = value;
    }

    private static int positive(int value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException("expected a positive " + what + ", got " + value);
      }
      return value;
    }

    BackendConfig toConfig(String where) {
      BackendType t = type;
      if (t == null) {
        throw new ConfigException(where + ".type: missing; expected one of logger, json, api");
      }
      return switch (t) {
        case LOGGER ->
            new BackendConfig.Logger(enabled, logLevel, logFile, snapshotIntervalSeconds);
        case JSON ->
            new BackendConfig.Json(
                enabled,
                dataDir,
                snapshotIntervalSeconds,
                retentionMaxFiles,
                retentionMaxAgeSeconds,
                retentionMaxBytes);
        case API ->
            new BackendConfig.Api(
                enabled, bindAddress, port, token, threads, List.copyOf(allowedHosts));
      };
    }
  }

  static final class Alerts {
    int evaluateEverySeconds = 5;
    @Nullable URI webhook;
    int webhookTimeoutSeconds = 2;
    @JsonProperty List<Rule> rules = new ArrayList<>();

    @JsonSetter("evaluate_every_seconds")
    void setEvaluateEverySeconds(int value) {
      if (value < 1 || value > 3600) {
        throw new IllegalArgumentException("expected 1 to 3600 seconds, got " + value);
      }
      evaluateEverySeconds = value;
    }

    @JsonSetter("webhook")
    void setWebhook(String value) {
      URI uri;
      try {
        uri = URI.create(value.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "expected an http:// or https:// URL, got " + quoted(value));
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "expected an http:// or https:// URL, got " + quoted(value));
      }
      webhook = uri;
    }

    @JsonSetter("webhook_timeout_seconds")
    void setWebhookTimeoutSeconds(int value) {
      if (value < 1 || value > 60) {
        throw new IllegalArgumentException("expected 1 to 60 seconds, got " + value);
      }
      webhookTimeoutSeconds = value;
    }
  }

  static final class Rule {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    @JsonProperty @Nullable String name;
    @JsonProperty String cache = "*";
    AlertRule.@Nullable Metric metric;
    @JsonProperty @Nullable Double above;
    @JsonProperty @Nullable Double below;
    @JsonProperty @Nullable Double clear;
    Duration forDuration = Duration.ZERO;
    long minRequests = 20;

    @JsonSetter("metric")
    void setMetric(String value) {
      for (AlertRule.Metric m : AlertRule.Metric.values()) {
        if (m.toString().equals(value.trim())) {
          metric = m;
          return;
        }
      }
      throw new IllegalArgumentException(
          "expected one of hit_rate, miss_rate, p99_ms, evictions_per_s, memory_bytes, got "
              + quoted(value));
    }

    @JsonSetter("for")
    void setFor(String value) {
      Matcher m = DURATION.matcher(value.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "expected a duration such as 30s, 5m or 1h, got " + quoted(value));
      }
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      forDuration =
          switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
          };
    }

    @JsonSetter("min_requests")
    void setMinRequests(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("expected 0 or more lookups, got " + value);
      }
      minRequests = value;
    }

    AlertRule toRule(String where) {
      String n = name;
      if (n == null || n.isBlank()) {
        throw new ConfigException(where + ".name: missing; every rule needs a name");
      }
      AlertRule.Metric m = metric;
      if (m == null) {
        throw new ConfigException(
            where
                + ".metric: missing; expected one of hit_rate, miss_rate, p99_ms, evictions_per_s,"
                + " memory_bytes");
      }
      Double a = above;
      Double b = below;
      if ((a == null) == (b == null)) {
        throw new ConfigException(
            where + ": give exactly one of 'above' or 'below', the threshold the rule fires past");
      }
      double threshold = a != null ? a : b;
      Double c = clear;
      try {
        return new AlertRule(
            n, cache, m, a != null, threshold, c != null ? c : threshold, forDuration, minRequests);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": " + e.getMessage(), e);
      }
    }
  }

  static final class Cache {
    @JsonProperty boolean enabled = true;
    @JsonProperty boolean trackTiming = true;
    @JsonProperty boolean trackMemory = true;
  }

  /** A value the user wrote, quoted for a message, cut after 40 characters. */
  static String quoted(String value) {
    return "'" + (value.length() <= 40 ? value : value.substring(0, 40) + "...") + "'";
  }
}
