package dev.cachescope.agent;

import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where a cache was built (or first used), to name it: the first stack frame outside the cache
 * library and the agent, as {@code OrderService.java:42}. A cache a framework builds (Spring's
 * cache managers, Caffeine's JCache provider) is left to the framework's hook, which knows its
 * name; one cachescope builds for itself (the sizing advice's miniature caches) is not monitored.
 */
final class BuildSite {
  private static final StackWalker WALKER = StackWalker.getInstance();

  private static final String[] LIBRARY = {
    "dev.cachescope.agent.",
    "dev.cachescope.instrument.",
    "javax.cache.",
    "com.github.benmanes.caffeine.cache.",
    "com.google.common.cache.",
    "java.",
    "jdk.internal.",
  };

  private static final String[] FRAMEWORKS = {
    "org.springframework.", "com.github.benmanes.caffeine.jcache.",
  };

  /**
   * cachescope's library packages: its sizing miniatures are Caffeine caches, not the
   * application's. (The demo and the benchmarks are applications like any other.)
   */
  private static final Set<String> OURS =
      Set.of(
          "dev.cachescope",
          "dev.cachescope.internal",
          "dev.cachescope.insight",
          "dev.cachescope.alert",
          "dev.cachescope.instrument",
          "dev.cachescope.instrument.caffeine",
          "dev.cachescope.instrument.guava",
          "dev.cachescope.instrument.jcache",
          "dev.cachescope.spring",
          "dev.cachescope.agent",
          "dev.cachescope.agent.inst");

  private BuildSite() {}

  /** A cache's user: the library's own frames, and the agent's, but not cachescope's wrappers. */
  private static final String[] USE_LIBRARY = {
    "dev.cachescope.agent.",
    "com.github.benmanes.caffeine.cache.",
    "com.google.common.cache.",
    "javax.cache.",
    "java.",
    "jdk.internal.",
  };

  /**
   * The build site of the cache being built on this thread, or null if a framework or cachescope
   * builds it.
   */
  static @Nullable String current() {
    return site(LIBRARY, null);
  }

  /**
   * Where the cache called on this thread is used, or null if a framework or cachescope calls it (a
   * cache behind one of cachescope's wrappers is counted by the wrapper).
   */
  static @Nullable String user(Class<?> cacheClass) {
    return site(USE_LIBRARY, cacheClass);
  }

  private static @Nullable String site(String[] library, @Nullable Class<?> cacheClass) {
    Optional<StackWalker.StackFrame> frame =
        WALKER.walk(
            s ->
                s.filter(
                        f ->
                            !startsWith(f.getClassName(), library)
                                && !ownClass(f.getClassName(), cacheClass))
                    .findFirst());
    if (frame.isEmpty()) {
      return "unknown";
    }
    StackWalker.StackFrame f = frame.get();
    String type = f.getClassName();
    int dot = type.lastIndexOf('.');
    if (startsWith(type, FRAMEWORKS)
        || (dot > 0 && OURS.contains(type.substring(0, dot)))
        || type.startsWith("dev.cachescope.export.")) {
      return null;
    }
    String file = f.getFileName();
    if (file == null) {
      file = type.substring(type.lastIndexOf('.') + 1);
    }
    return f.getLineNumber() > 0 ? file + ":" + f.getLineNumber() : file;
  }

  /** Whether {@code type} is the cache's class or one of its superclasses (a JCache provider's). */
  private static boolean ownClass(String type, @Nullable Class<?> cacheClass) {
    for (Class<?> c = cacheClass; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(type)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWith(String name, String[] prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
