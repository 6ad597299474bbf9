package dev.cachescope.app.demo;

import java.util.Map;

/** A validation rule, one JSON file per rule. */
public record Rule(
    String id,
    String category,
    String name,
    String description,
    String priority,
    Map<String, String> examples) {}
