package dev.cachescope.agent;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;

/**
 * The class loader that links cachescope's adapters against a host's own cache libraries. The agent
 * jar keeps the adapters, the starter's decoration and the agent's glue under {@code
 * cachescope-inst/}, out of the system class loader's sight; one {@code BridgeLoader} per host
 * class loader defines them from there. Every other cachescope class (the engine, the exporters,
 * the relocated libraries) comes from the agent's loader, so there is one aggregator and one
 * server; everything else (Caffeine, Guava, JCache, Spring, the JDK) comes from the host's loader.
 */
final class BridgeLoader extends ClassLoader {
  static final String HIDDEN_ROOT = "cachescope-inst/";

  private static final String[] HIDDEN = {
    "dev.cachescope.instrument.", "dev.cachescope.spring.", "dev.cachescope.agent.inst."
  };

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader agent;
  private final ProtectionDomain domain;

  BridgeLoader(ClassLoader host, ClassLoader agent) {
    super("cachescope-bridge", host);
    this.agent = agent;
    this.domain = BridgeLoader.class.getProtectionDomain();
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (hidden(name)) {
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = define(name);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }
    if (name.startsWith("dev.cachescope.")) {
      return agent.loadClass(name);
    }
    return super.loadClass(name, resolve);
  }

  private Class<?> define(String name) throws ClassNotFoundException {
    String resource = HIDDEN_ROOT + name.replace('.', '/') + ".class";
    try (InputStream in = agent.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ClassNotFoundException(name + " (not in the agent jar at " + resource + ")");
      }
      byte[] bytes = in.readAllBytes();
      return defineClass(name, bytes, 0, bytes.length, domain);
    } catch (IOException e) {
      throw new ClassNotFoundException(name, e);
    }
  }

  private static boolean hidden(String name) {
    for (String prefix : HIDDEN) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
