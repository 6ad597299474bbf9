package dev.cachescope.agent;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The agent's options, from {@code
 * -javaagent:cachescope-agent.jar=port=9966,config=monitoring.yaml} or from {@code cachescope
 * attach}: a comma-separated list of {@code key=value}.
 *
 * @param port the API and dashboard's port on 127.0.0.1 (0 = any free port)
 * @param config the {@code monitoring.yaml} to read, or null for the defaults and the {@code
 *     CACHE_MONITORING_*} variables
 * @param names cache names by build site ({@code name.OrderService.java:42=orders})
 * @param report a file the agent writes its dashboard URL (or why it did not start) to, for {@code
 *     cachescope attach}
 * @param detach stop monitoring and the server in this JVM
 */
record AgentOptions(
    int port,
    @Nullable Path config,
    Map<String, String> names,
    @Nullable Path report,
    boolean detach) {

  /** The default port: not the 8080 of the application's own server, nor Prometheus's 9090. */
  static final int DEFAULT_PORT = 9966;

  private static final String KEYS = "port, config, name.<File.java:line>, detach";

  /**
   * Parses the agent's argument string (null or empty: all defaults).
   *
   * @throws IllegalArgumentException with a one-line message naming the option and what to write
   */
  static AgentOptions parse(@Nullable String arguments) {
    int port = DEFAULT_PORT;
    Path config = null;
    Path report = null;
    boolean detach = false;
    Map<String, String> names = new LinkedHashMap<>();
    if (arguments == null || arguments.isBlank()) {
      return new AgentOptions(port, null, Map.of(), null, false);
    }
    for (String option : arguments.split(",", -1)) {
      String item = option.strip();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String key = eq < 0 ? item : item.substring(0, eq).strip();
      String value = eq < 0 ? "" : item.substring(eq + 1).strip();
      if (key.equals("detach") && eq < 0) {
        detach = true;
        continue;
      }
      if (eq < 0 || value.isEmpty()) {
        throw new IllegalArgumentException(
            "option '" + key + "' needs a value (" + key + "=...); options are " + KEYS);
      }
      switch (key) {
        case "port" -> port = port(value);
        case "config" -> config = Path.of(value);
        case "report" -> report = Path.of(value);
        default -> {
          if (key.startsWith("name.") && key.length() > "name.".length()) {
            names.put(key.substring("name.".length()), value);
          } else {
            throw new IllegalArgumentException("unknown option '" + key + "'; options are " + KEYS);
          }
        }
      }
    }
    return new AgentOptions(port, config, Map.copyOf(names), report, detach);
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "port must be a number from 0 to 65535 (0 = any free port), got '" + value + "'");
  }
}
