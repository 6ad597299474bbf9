package example.host;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Runs {@link CaffeineOnlyApp} in a class loader of its own that alone sees Caffeine, as a Spring
 * Boot fat jar or an application server runs an application: the system class loader (where the
 * agent is) cannot see the host's cache library. Arguments: the Caffeine jar, then this module's
 * test classes.
 */
public final class ChildLoaderLauncher {
  private ChildLoaderLauncher() {}

  public static void main(String[] args) throws Exception {
    URL[] urls = {Path.of(args[0]).toUri().toURL(), Path.of(args[1]).toUri().toURL()};
    try (URLClassLoader application = new ChildFirst(urls)) {
      Class<?> main = application.loadClass(CaffeineOnlyApp.class.getName());
      Method entry = main.getMethod("main", String[].class);
      Thread.currentThread().setContextClassLoader(application);
      entry.invoke(null, (Object) new String[0]);
    }
  }

  /** Loads the application's classes itself, everything else from its parent. */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls) {
      super("application", urls, ClassLoader.getSystemClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("example.host.CaffeineOnlyApp")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        return loaded != null ? loaded : findClass(name);
      }
    }
  }
}
