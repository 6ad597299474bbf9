package dev.cachescope.agent;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a cache was built, to name it: the first stack frame outside the cache library and
 * cachescope, as {@code OrderService.java:42}. A cache a framework builds (Spring's cache managers,
 * Caffeine's JCache provider) is left to the framework's hook, which knows its name.
 */
final class BuildSite {
  private static final StackWalker WALKER = StackWalker.getInstance();

  private static final String[] LIBRARY = {
    "dev.cachescope.agent.",
    "dev.cachescope.instrument.",
    "com.github.benmanes.caffeine.cache.",
    "com.google.common.cache.",
    "java.",
    "jdk.internal.",
  };

  private static final String[] FRAMEWORKS = {
    "org.springframework.", "com.github.benmanes.caffeine.jcache.",
  };

  private BuildSite() {}

  /** The build site of the cache being built on this thread, or null if a framework builds it. */
  static @Nullable String current() {
    Optional<StackWalker.StackFrame> frame =
        WALKER.walk(s -> s.filter(f -> !startsWith(f.getClassName(), LIBRARY)).findFirst());
    if (frame.isEmpty()) {
      return "unknown";
    }
    StackWalker.StackFrame f = frame.get();
    if (startsWith(f.getClassName(), FRAMEWORKS)) {
      return null;
    }
    String file = f.getFileName();
    if (file == null) {
      String type = f.getClassName();
      file = type.substring(type.lastIndexOf('.') + 1);
    }
    return f.getLineNumber() > 0 ? file + ":" + f.getLineNumber() : file;
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
