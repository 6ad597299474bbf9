package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module descriptor exports the API packages only; the machinery goes to the stress tests. */
class ModuleBoundaryTest {

  @Test
  void onlyTheApiPackagesAreExported() throws IOException, URISyntaxException {
    ModuleDescriptor module;
    // Read from where this module's classes are, not the first module-info on the class path.
    Path classes =
        Path.of(CacheMonitor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      module = ModuleDescriptor.read(in);
    }
    Map<String, Set<String>> exports = new TreeMap<>();
    for (ModuleDescriptor.Exports e : module.exports()) {
      exports.put(e.source(), e.targets().stream().sorted().collect(Collectors.toSet()));
    }
    assertThat(module.name()).isEqualTo("dev.cachescope.core");
    assertThat(exports)
        .containsOnlyKeys("dev.cachescope", "dev.cachescope.alert", "dev.cachescope.internal")
        .containsEntry("dev.cachescope", Set.of())
        .containsEntry("dev.cachescope.alert", Set.of())
        .containsEntry("dev.cachescope.internal", Set.of("dev.cachescope.stress"));
  }
}
