package dev.cachescope.app;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded corpus of bad {@code monitoring.yaml} files: hand-written mistakes and hostile inputs,
 * then mutations of the shipped file drawn from a fixed seed. Every mutation is bad by construction
 * (an unknown key, a value the key refuses, a YAML 1.1 boolean, a duplicate key, a tab in the
 * indentation, a control character, an unclosed quote, a nested value where a scalar belongs, a
 * second document), so every file must be refused.
 */
final class BadConfigs {
  /** Keys of the shipped file whose values the reader checks, with values each refuses. */
  private static final Map<String, List<String>> REFUSED =
      Map.ofEntries(
          Map.entry("enabled", List.of("1", "'true'", "maybe", "null")),
          Map.entry("track_keys", List.of("0", "enable", "~")),
          Map.entry("track_timing", List.of("2", "\"false\"")),
          Map.entry("track_memory", List.of("-1")),
          Map.entry("log_level", List.of("LOUD", "42", "[INFO]")),
          Map.entry("type", List.of("ftp", "kafka", "{a: 1}")),
          Map.entry("snapshot_interval_seconds", List.of("0", "-5", "ten", "1.5")),
          Map.entry("retention_max_files", List.of("0", "99999999999999999999")),
          Map.entry("port", List.of("-1", "65536", "eighty", "8080.5", "'80'", "1e9")),
          Map.entry("bind_address", List.of("[a, b]", "{x: y}")),
          Map.entry("max_operations_history", List.of("-1", "10000001", "many")),
          Map.entry("hit_sample_rate", List.of("0", "3", "100", "2097152", "1.0")),
          Map.entry("evaluate_every_seconds", List.of("0", "3601", "soon")),
          Map.entry("metric", List.of("latency", "p98_ms", "HIT_RATE")),
          Map.entry("below", List.of("low", "[0.5]")),
          Map.entry("above", List.of("high", "{}")),
          Map.entry("for", List.of("5x", "forever", "-1s", "1d")),
          Map.entry("name", List.of("[a]", "{n: 1}")),
          Map.entry("cache", List.of("[RuleCache]")),
          Map.entry("clear", List.of("never")));

  private static final String[] YAML11_BOOLEANS = {"yes", "no", "on", "off", "Yes", "NO", "On"};

  private static final Pattern KEY_LINE =
      Pattern.compile("^( *)(- )?([a-z_]+):( *)([^#]*?)( *#.*)?$");

  private BadConfigs() {}

  /** Name to file contents: the hand-written files, then {@code mutations} seeded mutations. */
  static Map<String, byte[]> corpus(String shipped, long seed, int mutations) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    handWritten().forEach((name, text) -> files.put(name, text.getBytes(StandardCharsets.UTF_8)));
    files.put("invalid UTF-8", new byte[] {'a', ':', ' ', (byte) 0xc3, (byte) 0x28, '\n'});
    files.put(
        "UTF-16 with a BOM",
        "cache_monitoring:\n  enabled: true\n".getBytes(StandardCharsets.UTF_16));
    files.put(
        "over 1 MiB",
        ("cache_monitoring:\n  backends:\n    - type: logger\n      log_file: "
                + "x".repeat(1 << 20)
                + "\n")
            .getBytes(StandardCharsets.UTF_8));
    Random random = new Random(seed);
    List<String> lines = List.of(shipped.split("\n", -1));
    for (int i = 0; files.size() < handWritten().size() + 3 + mutations; i++) {
      Mutation mutation = mutate(lines, random);
      files.putIfAbsent(
          String.format("seed %d #%03d: %s", seed, i, mutation.what()),
          mutation.text().getBytes(StandardCharsets.UTF_8));
    }
    return files;
  }

  private static Map<String, String> handWritten() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("an empty section", "cache_monitoring:\n");
    files.put("an empty list", "cache_monitoring:\n  backends:\n");
    files.put("an empty list item", "cache_monitoring:\n  backends:\n    -\n");
    files.put("a cache without settings", "cache_monitoring:\n  caches:\n    RuleCache:\n");
    files.put("a duplicate key", "cache_monitoring:\n  enabled: true\n  enabled: false\n");
    files.put(
        "a duplicate section",
        "cache_monitoring:\n  enabled: true\ncache_monitoring:\n  enabled: true\n");
    files.put("a second document", "cache_monitoring:\n  enabled: true\n---\nx: 1\n");
    files.put("yes for true", "cache_monitoring:\n  enabled: yes\n");
    files.put("off for false", "cache_monitoring:\n  track_keys: off\n");
    files.put("a binary tag", "cache_monitoring:\n  backends:\n    - type: !!binary aGVsbG8=\n");
    files.put("a set tag", "cache_monitoring:\n  caches: !!set {a, b}\n");
    files.put("a custom tag", "cache_monitoring:\n  backends:\n    - type: !kafka logger\n");
    files.put(
        "a code-execution tag",
        "cache_monitoring: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n");
    files.put("a list for a mapping", "cache_monitoring:\n  alerts: [1, 2]\n");
    files.put("a mapping for a list", "cache_monitoring:\n  backends: {type: api}\n");
    files.put("a scalar for a mapping", "cache_monitoring: on\n");
    files.put("a tab for indent", "cache_monitoring:\n\tenabled: true\n");
    files.put("a top-level list", "- 1\n- 2\n");
    files.put("a top-level scalar", "monitoring\n");
    files.put("an unknown section", "cache_monitorin:\n  enabled: true\n");
    files.put(
        "an alias bomb",
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            + "cache_monitoring: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n");
    files.put("an undefined alias", "cache_monitoring:\n  enabled: *yes\n");
    files.put("a deep list", "cache_monitoring: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");
    files.put(
        "a deep mapping",
        "cache_monitoring: " + "{a: ".repeat(5_000) + "1" + "}".repeat(5_000) + "\n");
    files.put(
        "a port too big for a long",
        "cache_monitoring:\n  backends:\n    - {type: api, port: 99999999999999999999999}\n");
    files.put("a NUL byte", "cache_monitoring:\n  enabled: tr\u0000ue\n");
    files.put("a bell in a comment", "# \u0007\ncache_monitoring:\n  enabled: true\n");
    files.put("a backend without a type", "cache_monitoring:\n  backends:\n    - enabled: true\n");
    files.put(
        "a rule without a name",
        "cache_monitoring:\n  alerts:\n    rules:\n      - {metric: hit_rate, below: 0.5}\n");
    files.put(
        "a rule without a metric",
        "cache_monitoring:\n  alerts:\n    rules:\n      - {name: r, below: 0.5}\n");
    files.put(
        "a rule with both thresholds",
        "cache_monitoring:\n  alerts:\n    rules:\n      - {name: r, metric: hit_rate, below: 0.5, above: 0.9}\n");
    files.put(
        "two rules of one name",
        "cache_monitoring:\n  alerts:\n    rules:\n      - {name: r, metric: hit_rate, below: 0.5}\n      - {name: r, metric: p99_ms, above: 5}\n");
    files.put(
        "an ftp webhook", "cache_monitoring:\n  alerts:\n    webhook: ftp://example.com/hook\n");
    files.put(
        "a webhook without a host", "cache_monitoring:\n  alerts:\n    webhook: http:///hook\n");
    files.put("a mapping as a key", "cache_monitoring:\n  {a: 1}: true\n");
    files.put("a line break in a key", "cache_monitoring:\n  \"enab\\nled\": true\n");
    files.put("an unclosed quote", "cache_monitoring:\n  backends:\n    - type: \"api\n");
    files.put("an unclosed bracket", "cache_monitoring:\n  backends: [\n    {type: json\n");
    files.put("a value with a colon", "cache_monitoring:\n  enabled: true: false\n");
    files.put("an empty key", "cache_monitoring:\n  \"\": true\n");
    files.put(
        "a cache with an empty name", "cache_monitoring:\n  caches:\n    \"\": {enabled: false}\n");
    return files;
  }

  private record Mutation(String what, String text) {}

  private static Mutation mutate(List<String> lines, Random random) {
    List<Integer> keyed = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (KEY_LINE.matcher(lines.get(i)).matches()) {
        keyed.add(i);
      }
    }
    int at = keyed.get(random.nextInt(keyed.size()));
    Matcher line = KEY_LINE.matcher(lines.get(at));
    line.matches();
    String indent = line.group(1) + (line.group(2) == null ? "" : "  ");
    String key = line.group(3);
    String value = line.group(5);
    List<String> out = new ArrayList<>(lines);
    String what;
    switch (random.nextInt(9)) {
      case 0 -> {
        String unknown = "x_" + word(random);
        out.add(at + 1, indent + unknown + ": 1");
        what = "unknown key " + unknown + " beside " + key;
      }
      case 1 -> {
        List<String> refused = REFUSED.get(key);
        if (refused == null || value.isEmpty()) {
          return mutate(lines, random);
        }
        String bad = refused.get(random.nextInt(refused.size()));
        out.set(at, prefix(line) + key + ": " + bad);
        what = key + ": " + bad;
      }
      case 2 -> {
        if (!value.equals("true") && !value.equals("false")) {
          return mutate(lines, random);
        }
        String word = YAML11_BOOLEANS[random.nextInt(YAML11_BOOLEANS.length)];
        out.set(at, prefix(line) + key + ": " + word);
        what = key + ": " + word;
      }
      case 3 -> {
        if (line.group(2) != null) {
          return mutate(lines, random);
        }
        out.add(at + 1, lines.get(at).replaceFirst("^ *", indent));
        what = "duplicate " + key;
      }
      case 4 -> {
        if (indent.isEmpty()) {
          return mutate(lines, random);
        }
        out.set(at, "\t" + lines.get(at).stripLeading());
        what = "tab before " + key;
      }
      case 5 -> {
        char control = (char) (1 + random.nextInt(8));
        out.set(at, lines.get(at) + " " + control);
        what = String.format("U+%04X after %s", (int) control, key);
      }
      case 6 -> {
        if (value.isEmpty() || value.contains("\"")) {
          return mutate(lines, random);
        }
        out.set(at, prefix(line) + key + ": \"" + value);
        what = "unclosed quote in " + key;
      }
      case 7 -> {
        if (value.isEmpty() || key.equals("cache") || REFUSED.get(key) == null) {
          return mutate(lines, random);
        }
        String nested = random.nextBoolean() ? "[" + value + "]" : "{v: " + value + "}";
        out.set(at, prefix(line) + key + ": " + nested);
        what = key + ": " + nested;
      }
      default -> {
        out.add("---");
        out.addAll(lines.subList(0, 3 + random.nextInt(lines.size() - 3)));
        what = "a second document";
      }
    }
    return new Mutation(what, String.join("\n", out));
  }

  /** The line up to its key: indentation and any list dash. */
  private static String prefix(Matcher line) {
    return line.group(1) + (line.group(2) == null ? "" : line.group(2));
  }

  private static String word(Random random) {
    StringBuilder word = new StringBuilder();
    for (int i = 0, n = 3 + random.nextInt(10); i < n; i++) {
      word.append((char) ('a' + random.nextInt(26)));
    }
    return word.toString();
  }
}
