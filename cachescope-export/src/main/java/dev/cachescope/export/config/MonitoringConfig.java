package dev.cachescope.export.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cachescope.CacheMonitor;
import dev.cachescope.alert.AlertRule;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The seed design's {@code config/monitoring.yaml} (see docs/exporters.md) and environment
 * variables: environment over file over defaults. Immutable.
 *
 * <pre>{@code
 * cache_monitoring:
 *   enabled: true
 *   backends:
 *     - type: logger          # JSON lines via the "cachescope.metrics" SLF4J logger
 *       log_level: INFO
 *       log_file: logs/cache_metrics.log
 *     - type: json            # snapshot files
 *       enabled: false
 *       data_dir: data/metrics
 *       snapshot_interval_seconds: 300
 *     - type: api             # HTTP API, /health, /metrics
 *       enabled: false
 *       bind_address: 127.0.0.1
 *       port: 8080
 *   max_operations_history: 10000
 *   track_keys: false
 *   hit_sample_rate: 1048576
 *   caches:
 *     RuleCache: {enabled: true, track_timing: true, track_memory: true}
 * }</pre>
 *
 * Environment: {@code CACHE_MONITORING_ENABLED} (true/false), {@code CACHE_MONITORING_LOG_LEVEL}
 * (the logger backends' level), {@code CACHE_MONITORING_BACKENDS} (a comma list such as {@code
 * logger,json}: exactly these backends run). Cache names the file does not list get all switches
 * on, so caches may register later. No file means the defaults: the logger backend only.
 *
 * @param enabled the master switch
 * @param backends the backends, in file order
 * @param maxOperationsHistory operations each cache's history keeps
 * @param trackKeys whether keys are kept and served raw (they are private data: off by default)
 * @param hitSampleRate at least one lookup in this many is timed (a busy thread times about 4,000 a
 *     second, a quiet one every lookup)
 * @param caches per-cache switches by cache name
 * @param alerts alert rules and where alerts go ({@link AlertsConfig})
 */
public record MonitoringConfig(
    boolean enabled,
    List<BackendConfig> backends,
    int maxOperationsHistory,
    boolean trackKeys,
    int hitSampleRate,
    Map<String, CacheSettings> caches,
    AlertsConfig alerts) {

  /** The environment variable that switches monitoring on or off. */
  public static final String ENV_ENABLED = "CACHE_MONITORING_ENABLED";

  /** The environment variable that sets the logger backends' level. */
  public static final String ENV_LOG_LEVEL = "CACHE_MONITORING_LOG_LEVEL";

  /** The environment variable that lists the backends to run. */
  public static final String ENV_BACKENDS = "CACHE_MONITORING_BACKENDS";

  /** Larger files are refused before they are parsed: no monitoring.yaml comes near it. */
  static final long MAX_FILE_BYTES = 1 << 20;

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // "backends:" with nothing under it, or a cache or list item with nothing after it, is a
          // mistake to report, not an empty list or a null entry.
          .setDefaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
          .registerModule(
              new SimpleModule()
                  .addDeserializer(Boolean.class, new StrictBoolean())
                  .addDeserializer(boolean.class, new StrictBoolean())
                  .addDeserializer(String.class, new StrictString()));

  static {
    // "enabled: yes" or "port: '80'" are mistakes to report, not values to guess at.
    YAML.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    YAML.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
  }

  /** The defaults: the logger backend on, json and api off, everything else as the design says. */
  public static MonitoringConfig defaults() {
    return from(new RawConfig(), "defaults", "cache_monitoring");
  }

  /** Reads {@code file} (missing: defaults) and applies the process environment. */
  public static MonitoringConfig load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Reads {@code file} (null or missing: defaults) and applies {@code environment}.
   *
   * @throws ConfigException naming the file, line, key path, expectation and valid keys
   */
  public static MonitoringConfig load(@Nullable Path file, Map<String, String> environment) {
    RawConfig raw = new RawConfig();
    String source = "defaults";
    if (file != null) {
      source = file.toString();
      try {
        raw = read(file);
      } catch (NoSuchFileException e) {
        raw = new RawConfig();
      } catch (CharacterCodingException e) {
        throw new ConfigException(file + ": not UTF-8 text; save it as UTF-8", e);
      } catch (JsonProcessingException e) {
        throw new ConfigException(describe(file.toString(), e), e);
      } catch (IOException e) {
        throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")", e);
      }
    }
    applyEnvironment(raw, environment);
    return from(raw, source, "cache_monitoring");
  }

  /** Parses one YAML document; an empty file is the defaults. */
  private static RawConfig read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new ConfigException(
          file
              + ": "
              + size
              + " bytes, more than a monitoring.yaml may have ("
              + MAX_FILE_BYTES
              + "); is this the right file?");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return new RawConfig();
    }
    refuseControlCharacters(file, text);
    try (JsonParser parser = YAML.getFactory().createParser(text)) {
      RawConfig parsed = YAML.readValue(parser, RawConfig.class);
      if (parser.nextToken() != null) {
        JsonLocation at = parser.currentTokenLocation();
        throw new ConfigException(
            file
                + ": line "
                + at.getLineNr()
                + ": a second YAML document; monitoring.yaml holds one: merge it into the"
                + " first and remove the '---'");
      }
      return parsed == null ? new RawConfig() : parsed;
    }
  }

  /**
   * YAML refuses control characters anywhere, comments included; its parser reports them at line 1,
   * column 1. This names the real place.
   */
  private static void refuseControlCharacters(Path file, String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed =
          c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0x7f) || c == 0x85 || c >= 0xa0;
      if (!allowed || c == 0xfffe || c == 0xffff) {
        throw new ConfigException(
            String.format(
                Locale.ROOT,
                "%s: line %d, column %d: a control character (U+%04X), which YAML does not allow;"
                    + " delete it",
                file,
                line,
                column,
                (int) c));
      }
      if (c == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
  }

  /**
   * Reads the settings that {@code monitoring.yaml} keeps under {@code cache_monitoring}, given as
   * a tree of maps, lists and scalars with the file's snake_case keys (what a framework's property
   * binder produces), and applies {@code environment}. Missing keys take the defaults; the checks
   * and their messages are the file's.
   *
   * @param settings the keys under {@code cache_monitoring}
   * @param source where the settings come from, for messages ({@code "application.properties"})
   * @param root the prefix under which the user wrote the keys ({@code "cachescope"}), for messages
   * @throws ConfigException naming {@code source}, the key path under {@code root} and what was
   *     expected
   */
  public static MonitoringConfig fromSettings(
      Map<String, ?> settings, String source, String root, Map<String, String> environment) {
    RawConfig raw = new RawConfig();
    try {
      raw.cacheMonitoring = YAML.convertValue(settings, RawConfig.Monitoring.class);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof JsonProcessingException cause) {
        throw new ConfigException(describe(source, root, cause), e);
      }
      throw new ConfigException(source + ": " + root + ": " + e.getMessage(), e);
    }
    applyEnvironment(raw, environment);
    return from(raw, source, root);
  }

  /** The first backend of {@code type} that is enabled, if any. */
  public Optional<BackendConfig> backend(BackendType type) {
    return backends.stream().filter(b -> b.type() == type && b.enabled()).findFirst();
  }

  /** The first logger backend that is enabled, if any. */
  public Optional<BackendConfig.Logger> logger() {
    return backend(BackendType.LOGGER).map(BackendConfig.Logger.class::cast);
  }

  /** The first json backend that is enabled, if any. */
  public Optional<BackendConfig.Json> json() {
    return backend(BackendType.JSON).map(BackendConfig.Json.class::cast);
  }

  /** The first api backend that is enabled, if any. */
  public Optional<BackendConfig.Api> api() {
    return backend(BackendType.API).map(BackendConfig.Api.class::cast);
  }

  /** This configuration with {@code backends} instead of its own. */
  public MonitoringConfig withBackends(List<? extends BackendConfig> backends) {
    return new MonitoringConfig(
        enabled,
        List.copyOf(backends),
        maxOperationsHistory,
        trackKeys,
        hitSampleRate,
        caches,
        alerts);
  }

  /** The switches of the cache called {@code name}: its own entry, or all on. */
  public CacheSettings cache(String name) {
    return caches.getOrDefault(name, CacheSettings.DEFAULT);
  }

  /** Monitor options for the cache called {@code name}, from this configuration. */
  public CacheMonitor.Builder monitorOptions(String name) {
    CacheSettings settings = cache(name);
    CacheMonitor.Builder options =
        CacheMonitor.builder(name)
            .enabled(enabled && settings.enabled())
            .trackTiming(settings.trackTiming())
            .maxOperationsHistory(maxOperationsHistory)
            .trackKeys(trackKeys)
            .hitSampleRate(hitSampleRate);
    if (!settings.trackMemory()) {
      options.memorySampleInterval(Duration.ZERO);
    }
    return options;
  }

  private static MonitoringConfig from(RawConfig raw, String source, String root) {
    RawConfig.Monitoring m = raw.cacheMonitoring;
    List<BackendConfig> backends = new ArrayList<>();
    List<RawConfig.Backend> rawBackends = m.backendsOrDefault();
    for (int i = 0; i < rawBackends.size(); i++) {
      backends.add(rawBackends.get(i).toConfig(source + ": " + root + ".backends[" + i + "]"));
    }
    Map<String, CacheSettings> caches = new LinkedHashMap<>();
    m.caches.forEach(
        (name, c) -> {
          if (name.isBlank()) {
            throw new ConfigException(
                source
                    + ": "
                    + root
                    + ".caches: a cache with an empty name (\""
                    + name
                    + "\"); give the cache's name or remove the entry");
          }
          caches.put(name, new CacheSettings(c.enabled, c.trackTiming, c.trackMemory));
        });
    List<AlertRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < m.alerts.rules.size(); i++) {
      String where = source + ": " + root + ".alerts.rules[" + i + "]";
      AlertRule rule = m.alerts.rules.get(i).toRule(where);
      if (!names.add(rule.name())) {
        throw new ConfigException(
            where + ".name: '" + rule.name() + "' is used by an earlier rule; names must differ");
      }
      rules.add(rule);
    }
    AlertsConfig alerts =
        new AlertsConfig(
            List.copyOf(rules),
            Duration.ofSeconds(m.alerts.evaluateEverySeconds),
            m.alerts.webhook,
            Duration.ofSeconds(m.alerts.webhookTimeoutSeconds));
    return new MonitoringConfig(
        m.enabled,
        List.copyOf(backends),
        m.maxOperationsHistory,
        m.trackKeys,
        m.hitSampleRate,
        Collections.unmodifiableMap(caches),
        alerts);
  }

  private static void applyEnvironment(RawConfig raw, Map<String, String> env) {
    RawConfig.Monitoring m = raw.cacheMonitoring;
    String enabled = env.get(ENV_ENABLED);
    if (enabled != null && !enabled.isBlank()) {
      m.enabled = parseBoolean(enabled.trim());
    }
    String backendsVar = env.get(ENV_BACKENDS);
    if (backendsVar != null && !backendsVar.isBlank()) {
      List<RawConfig.Backend> backends = new ArrayList<>(m.backendsOrDefault());
      List<BackendType> wanted = new ArrayList<>();
      for (String name : backendsVar.split(",")) {
        if (!name.isBlank()) {
          wanted.add(parseBackend(name.trim()));
        }
      }
      for (BackendType type : wanted) {
        if (backends.stream().noneMatch(b -> b.type == type)) {
          RawConfig.Backend added = new RawConfig.Backend();
          added.type = type;
          backends.add(added);
        }
      }
      for (RawConfig.Backend b : backends) {
        b.enabled = wanted.contains(b.type);
      }
      m.backends = backends;
    }
    String level = env.get(ENV_LOG_LEVEL);
    if (level != null && !level.isBlank()) {
      List<RawConfig.Backend> backends = new ArrayList<>(m.backendsOrDefault());
      for (RawConfig.Backend b : backends) {
        if (b.type == BackendType.LOGGER) {
          try {
            b.setLogLevel(level);
          } catch (IllegalArgumentException e) {
            throw new ConfigException(ENV_LOG_LEVEL + "=" + level + ": " + e.getMessage(), e);
          }
        }
      }
      m.backends = backends;
    }
  }

  private static boolean parseBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new ConfigException(
              ENV_ENABLED + "=" + value + ": expected true or false (also 1/0, yes/no, on/off)");
    };
  }

  private static BackendType parseBackend(String name) {
    try {
      return BackendType.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          ENV_BACKENDS
              + ": '"
              + name
              + "' is not a backend; expected a comma list of logger, json, api",
          e);
    }
  }

  /** "file: line L, column C: key.path: what was wrong; valid keys: ...". */
  private static String describe(String file, JsonProcessingException e) {
    return describe(file, "", e);
  }

  /** As {@link #describe(String, JsonProcessingException)}, key paths under {@code root}. */
  private static String describe(String file, String root, JsonProcessingException e) {
    StringBuilder message = new StringBuilder().append(file).append(": ");
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      message
          .append("line ")
          .append(location.getLineNr())
          .append(", column ")
          .append(location.getColumnNr())
          .append(": ");
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      message.append(root.isEmpty() ? "" : root + ".").append(path(mapping)).append(": ");
    }
    if (e instanceof UnrecognizedPropertyException unknown) {
      TreeSet<String> valid = new TreeSet<>();
      unknown.getKnownPropertyIds().forEach(id -> valid.add(String.valueOf(id)));
      return message
          .append(
              unknown.getPropertyName().isEmpty()
                  ? "an empty key (\"\"); name it or remove it; valid keys here: "
                  : "unknown key; valid keys here: ")
          .append(String.join(", ", valid))
          .toString();
    }
    return message.append(reason(e)).toString();
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String reason(JsonProcessingException e) {
    Throwable cause = e.getCause();
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
      return cause.getMessage();
    }
    if (e instanceof InvalidNullException) {
      return "has no value; give it one, or remove the key to take the default";
    }
    String original = e.getOriginalMessage();
    if (original != null && original.startsWith("Duplicate field")) {
      return original.replace("Duplicate field", "a second") + "; give each key once";
    }
    if (e instanceof InvalidFormatException
        && original != null
        && original.startsWith(STRICT_PREFIX)) {
      return original.substring(STRICT_PREFIX.length());
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      Class<?> target = mismatch.getTargetType();
      String expected =
          target == boolean.class || target == Boolean.class
              ? "true or false"
              : target == int.class || target == long.class || target == Integer.class
                  ? "a whole number"
                  : target == double.class || target == Double.class
                      ? "a number"
                      : target == String.class
                          ? "text"
                          : List.class.isAssignableFrom(target)
                              ? "a list"
                              : target.isEnum() ? "one of the listed words" : "a mapping of keys";
      return "wrong type: expected " + expected;
    }
    if (original != null && original.startsWith("Expected a field name")) {
      return "a key must be plain text, not a mapping or a list; is a '{', '[' or ':' misplaced?";
    }
    return original == null
        ? "not valid YAML for this file"
        : INTERNAL_NAME.matcher(oneLine(original)).replaceAll("something else");
  }

  /** A parser's class name with its arguments, which a user's message never shows. */
  private static final Pattern INTERNAL_NAME =
      Pattern.compile("<?(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][\\w$]*(?:\\([^)]*\\))?>?");

  /** Marks the strict deserializers' own messages, which are shown as they are. */
  private static final String STRICT_PREFIX = "cachescope: ";

  /** {@code true} or {@code false} only: YAML 1.1 would read yes, no, on and off as booleans. */
  private static final class StrictBoolean extends StdDeserializer<Boolean> {
    private static final long serialVersionUID = 1L;

    StrictBoolean() {
      super(Boolean.class);
    }

    @Override
    public Boolean deserialize(JsonParser p, DeserializationContext context) throws IOException {
      JsonToken token = p.currentToken();
      if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
        return (Boolean) context.handleUnexpectedToken(Boolean.class, p);
      }
      String text = p.getText();
      if (text.equals("true") || text.equals("false")) {
        return token == JsonToken.VALUE_TRUE;
      }
      throw InvalidFormatException.from(
          p,
          STRICT_PREFIX
              + "expected true or false, not "
              + RawConfig.quoted(text)
              + " (yes, no, on and off are refused: write true or false)",
          text,
          Boolean.class);
    }
  }

  /**
   * The YAML tag on the current value ({@code !kafka}, {@code !!binary}), unless it is none or the
   * plain {@code !!str}: a tag asks for a type this file does not have.
   */
  private static @Nullable Object foreignTag(JsonParser p) throws IOException {
    Object tag = p.canReadTypeId() ? p.getTypeId() : null;
    return tag == null || tag.toString().endsWith(":str") ? null : tag;
  }

  /** Text, never a binary or other tagged value. */
  private static final class StrictString extends StdDeserializer<String> {
    private static final long serialVersionUID = 1L;

    StrictString() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
      JsonToken token = p.currentToken();
      if (token == JsonToken.VALUE_EMBEDDED_OBJECT
          || (token != null && token.isStructStart())
          || foreignTag(p) != null) {
        throw InvalidFormatException.from(
            p, STRICT_PREFIX + "expected text, not a tagged or nested value", null, String.class);
      }
      return StringDeserializer.instance.deserialize(p, context);
    }
  }

  /**
   * The YAML parser's message on one line: what it was reading and what it found, without the
   * positions (the first is already given) and the echo of the source under each.
   */
  private static String oneLine(String message) {
    List<String> parts = new ArrayList<>();
    boolean inEcho = false;
    for (String line : message.split("\\R")) {
      String part = line.strip();
      if (part.startsWith("at [")) {
        break;
      }
      if (part.startsWith("in '")) {
        inEcho = true; // the position, then the source line and a caret under the column
      } else if (inEcho) {
        inEcho = !part.matches("\\^+");
      } else if (!part.isEmpty()) {
        parts.add(part.replace("\t", "\\t"));
      }
    }
    return parts.isEmpty() ? "not valid YAML for this file" : String.join(": ", parts);
  }
}
