package dev.cachescope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rewrite, on every version of the libraries at hand, checked by the JVM's own verifier: the
 * rewritten class is defined in a loader of its own beside its library and linked, which is where a
 * bad stack map or a wrong type would fail in a host. The rewrite must also have happened (it calls
 * {@code Hooks}).
 */
class CacheTransformerTest {
  private static final Path VERSIONS =
      Path.of(System.getProperty("library.versions", "target/versions"));

  /** A library jar and the classes of it the agent rewrites. */
  record Case(String jar, List<String> classes) {
    @Override
    public String toString() {
      return Path.of(jar).getFileName().toString();
    }
  }

  static Stream<Case> libraries() throws IOException {
    List<String> caffeine =
        List.of(
            "com/github/benmanes/caffeine/cache/Caffeine",
            "com/github/benmanes/caffeine/cache/LocalManualCache",
            "com/github/benmanes/caffeine/cache/LocalLoadingCache");
    List<String> guava =
        List.of(
            "com/google/common/cache/CacheBuilder",
            "com/google/common/cache/LocalCache$LocalManualCache");
    Stream<Case> others;
    try (Stream<Path> jars = Files.list(VERSIONS)) {
      others =
          jars
              .map(Path::toString)
              .map(j -> new Case(j, j.contains("caffeine") ? caffeine : guava))
              .toList()
              .stream();
    }
    return Stream.concat(
        Stream.of(
            new Case(Host.entry("caffeine-3"), caffeine),
            new Case(Host.entry("guava-"), guava),
            new Case(Host.entry("cache-api"), List.of("javax/cache/Caching")),
            new Case(
                Host.entry("spring-context"),
                List.of(
                    "org/springframework/cache/concurrent/ConcurrentMapCacheManager",
                    "org/springframework/cache/support/AbstractCacheManager",
                    "org/springframework/cache/support/CompositeCacheManager",
                    "org/springframework/cache/support/NoOpCacheManager"))),
        others);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("libraries")
  void everyRewriteIsMadeAndPassesTheVerifier(Case library) throws Exception {
    CacheTransformer transformer = new CacheTransformer(true);
    try (JarFile jar = new JarFile(library.jar())) {
      for (String name : library.classes()) {
        byte[] original;
        try (InputStream in = jar.getInputStream(jar.getEntry(name + ".class"))) {
          original = in.readAllBytes();
        }
        byte[] rewritten =
            transformer.transform(getClass().getClassLoader(), name, null, null, original);
        assertThat(rewritten).as("%s rewritten", name).isNotNull();
        assertThat(new String(rewritten, StandardCharsets.ISO_8859_1))
            .as("%s calls the agent", name)
            .contains("dev/cachescope/agent/Hooks");
        try (Verifying loader =
            new Verifying(Path.of(library.jar()).toUri().toURL(), Map.of(name, rewritten))) {
          // Initializing links and so verifies the class: a VerifyError here is what a host
          // would get.
          Class<?> type = Class.forName(name.replace('/', '.'), true, loader);
          assertThat(type.getClassLoader()).isSameAs(loader);
        }
      }
    }
  }

  /** Loads one library jar itself, with some of its classes rewritten. */
  private static final class Verifying extends URLClassLoader {
    private final Map<String, byte[]> rewritten;

    Verifying(URL jar, Map<String, byte[]> rewritten) {
      super(new URL[] {jar}, CacheTransformerTest.class.getClassLoader());
      this.rewritten = rewritten;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = rewritten.get(name.replace('.', '/'));
          if (bytes != null) {
            loaded = defineClass(name, bytes, 0, bytes.length);
          } else if (findResource(name.replace('.', '/') + ".class") != null) {
            loaded = findClass(name);
          } else {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
  }
}
