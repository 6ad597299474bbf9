package dev.cachescope.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.export.config.ConfigException;
import dev.cachescope.export.http.MetricsHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's entry points: {@code -javaagent:cachescope-agent.jar[=options]} ({@link #premain})
 * and {@code cachescope attach <pid>} ({@link #agentmain}). Either installs the rewrites ({@link
 * CacheTransformer}) and starts the API and dashboard on 127.0.0.1; nothing they do may stop the
 * host: every failure is one line on the host's standard error, and the host runs on unmonitored.
 */
public final class CachescopeAgent {
  private static final Logger LOG = LoggerFactory.getLogger("cachescope.agent");
  private static @Nullable CacheTransformer transformer;
  private static @Nullable String url;

  private CachescopeAgent() {}

  /**
   * {@code -javaagent}: installs the rewrites, then reads the configuration and serves the
   * dashboard from a background thread, so the host's start waits for neither (a cache built before
   * the agent is ready waits for it).
   */
  public static void premain(@Nullable String arguments, Instrumentation instrumentation) {
    long started = System.nanoTime();
    try {
      AgentOptions options = AgentOptions.parse(arguments);
      if (options.detach()) {
        throw new IllegalArgumentException(
            "detach is for cachescope attach <pid> --detach, not for -javaagent");
      }
      AgentRuntime.starting();
      synchronized (CachescopeAgent.class) {
        transformer = CacheTransformer.install(instrumentation, false);
      }
      Thread starter =
          new Thread(() -> startInBackground(options, started), "cachescope-agent-start");
      starter.setDaemon(true);
      starter.start();
    } catch (RuntimeException | LinkageError e) {
      AgentRuntime.started();
      refuse(e);
    }
  }

  private static void startInBackground(AgentOptions options, long started) {
    String served = null;
    try {
      AgentRuntime runtime = AgentRuntime.create(options);
      AgentRuntime.started();
      served = serve(runtime, started);
    } catch (RuntimeException | LinkageError e) {
      lastError = message(e);
      refuse(e);
    } finally {
      AgentRuntime.started();
    }
    report(options.report(), served == null ? Map.of("error", lastError) : Map.of("url", served));
  }

  /**
   * {@code cachescope attach}: instruments (retransforming the classes already loaded), serves the
   * dashboard, and writes the URL, or why not, to the {@code report} file the command reads. With
   * {@code detach}, stops both instead.
   */
  public static void agentmain(@Nullable String arguments, Instrumentation instrumentation) {
    long started = System.nanoTime();
    AgentOptions options = null;
    try {
      options = AgentOptions.parse(arguments);
      if (options.detach()) {
        report(options.report(), detach(instrumentation));
        return;
      }
      synchronized (CachescopeAgent.class) {
        if (AgentRuntime.current() != null && url != null) {
          report(options.report(), Map.of("url", url, "already", true));
          return;
        }
      }
      AgentRuntime runtime = attach(options, instrumentation);
      String served = serve(runtime, started);
      report(options.report(), served == null ? Map.of("error", lastError) : Map.of("url", served));
    } catch (RuntimeException | LinkageError e) {
      refuse(e);
      report(options == null ? reportOf(arguments) : options.report(), Map.of("error", message(e)));
    }
  }

  private static volatile String lastError = "";

  private static synchronized AgentRuntime attach(
      AgentOptions options, Instrumentation instrumentation) {
    AgentRuntime existing = AgentRuntime.current();
    if (existing != null) {
      return existing;
    }
    AgentRuntime runtime = AgentRuntime.create(options);
    runtime.watchExisting();
    if (transformer == null) {
      transformer = CacheTransformer.install(instrumentation, true);
    }
    return runtime;
  }

  /**
   * Starts the server and logs its URL once; on failure stops monitoring (nothing would show it).
   */
  private static @Nullable String serve(AgentRuntime runtime, long startedNanos) {
    try {
      MetricsHttpServer server = runtime.startServer();
      String served = server.url() + "/";
      synchronized (CachescopeAgent.class) {
        url = served;
      }
      LOG.info(
          "cachescope agent: dashboard at {} (Caffeine, Guava, JCache and Spring caches; started in"
              + " {} ms)",
          served,
          (System.nanoTime() - startedNanos) / 1_000_000);
      return served;
    } catch (UncheckedIOException | IllegalStateException e) {
      lastError =
          message(e)
              + "; pass port=<another> or port=0 for any free port (caches are not monitored)";
      LOG.warn("cachescope agent: {}", lastError);
      runtime.stop();
      return null;
    }
  }

  private static synchronized Map<String, Object> detach(Instrumentation instrumentation) {
    AgentRuntime runtime = AgentRuntime.current();
    if (runtime == null) {
      return Map.of("error", "cachescope is not attached to this JVM");
    }
    int caches = runtime.aggregator().cacheNames().size();
    runtime.stop();
    CacheTransformer installed = transformer;
    if (installed != null) {
      installed.uninstall(instrumentation);
      transformer = null;
    }
    url = null;
    LOG.info("cachescope agent: detached; {} caches no longer monitored", caches);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("detached", true);
    result.put("caches", caches);
    return result;
  }

  private static void refuse(Throwable e) {
    System.err.println("cachescope agent: " + message(e) + "; the application runs unmonitored");
  }

  private static String message(Throwable e) {
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      return String.valueOf(e.getMessage());
    }
    return e.toString();
  }

  /** The report option of arguments that did not parse, so the command still hears why. */
  private static @Nullable Path reportOf(@Nullable String arguments) {
    if (arguments == null) {
      return null;
    }
    for (String option : arguments.split(",", -1)) {
      if (option.strip().startsWith("report=")) {
        return Path.of(option.strip().substring("report=".length()).strip());
      }
    }
    return null;
  }

  /** Writes {@code content} to {@code file} as JSON, whole or not at all. */
  private static void report(@Nullable Path file, Map<String, ?> content) {
    if (file == null) {
      return;
    }
    try {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      new ObjectMapper().writeValue(temporary.toFile(), content);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cachescope agent: cannot write the report {}: {}", file, e.toString());
    }
  }
}
