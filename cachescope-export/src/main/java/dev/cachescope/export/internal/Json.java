package dev.cachescope.export.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.cachescope.LatencySummary;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * The one JSON mapping of cachescope's records: the seed design's snake_case names, lowercase
 * enums, and numbers written plainly ({@code 1696689121.234}, not {@code 1.696689121234E9}).
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(
              new SimpleModule("plain-doubles")
                  .addSerializer(Double.class, new PlainDouble())
                  .addSerializer(double.class, new PlainDouble()))
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
          .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
          // Files written by a newer version may carry fields this one does not know.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Exponential buckets are for /metrics' native histograms: up to a few hundred numbers
          // per operation, which every snapshot and summary would otherwise carry.
          .addMixIn(LatencySummary.class, WithoutExponentialBuckets.class);

  private Json() {}

  @JsonIgnoreProperties(value = "exponential_buckets", allowSetters = true)
  private abstract static class WithoutExponentialBuckets {}

  /** Writes finite doubles in plain notation, so epoch timestamps read as the design shows them. */
  private static final class PlainDouble extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    PlainDouble() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      double d = value;
      if (Double.isFinite(d) && Math.abs(d) >= 1e7) {
        gen.writeNumber(BigDecimal.valueOf(d).toPlainString());
      } else {
        gen.writeNumber(d);
      }
    }
  }
}
