package dev.cachescope.spring;

/**
 * What differs between the Spring Boot lines the starter's tests run on (3.5 and 4.0, the {@code
 * boot4} profile): Boot 4 moved its auto-configurations into modules with packages of their own.
 */
final class BootLines {
  private BootLines() {}

  /** The first of these auto-configuration classes that this class path has. */
  static Class<?> autoConfiguration(String... names) {
    for (String name : names) {
      try {
        return Class.forName(name, false, BootLines.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // not this Boot line: try the next name
      }
    }
    throw new IllegalStateException(
        "none of " + String.join(", ", names) + " is on the class path");
  }

  /** The Spring Boot version the tests run on, e.g. {@code 4.0.7}. */
  static String bootVersion() {
    String version = org.springframework.boot.SpringBootVersion.getVersion();
    return version == null ? "unknown" : version;
  }
}
