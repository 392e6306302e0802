package io.rampart.server.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format, version 0.0.4, for tests: no Java library on Maven Central
 * parses it (the Prometheus Java client only writes it), so this follows the format's specification and refuses
 * anything it does not allow, naming the line.
 *
 * <p>Checked: the line grammar (metric and label names, quoted and escaped label values, Go-style float values with
 * NaN and ±Inf, optional integer timestamps), HELP and TYPE lines (at most one each per family, TYPE before the
 * family's first sample, a known type), families not interleaved, no duplicate series, the final newline, and for
 * histograms: buckets with an {@code le} label, cumulative counts that never decrease, a {@code +Inf} bucket equal to
 * {@code _count}, and a {@code _sum}.
 */
final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Inf|NaN");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
        /** The one sample with exactly these labels (name suffix included), or empty. */
        Optional<Sample> sample(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(sampleName) && s.labels().equals(labels)).findFirst();
        }
    }

    static final class FormatException extends RuntimeException {
        FormatException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private PrometheusText() {
    }

    /** Parses a whole exposition; families by name, in order of appearance. */
    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new FormatException(text.split("\n", -1).length, "the exposition must end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        Set<String> seenSeries = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            int lineNumber = i + 1;
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("[ \t]+", 4);
                if (parts.length >= 2 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    if (parts.length < 3 || !METRIC_NAME.matcher(parts[2]).matches()) {
                        throw new FormatException(lineNumber, parts[1] + " needs a valid metric name: " + line);
                    }
                    String family = parts[2];
                    if (parts[1].equals("TYPE")) {
                        String type = parts.length == 4 ? parts[3].strip() : "";
                        if (!TYPES.contains(type)) {
                            throw new FormatException(lineNumber, "unknown type '" + type + "'");
                        }
                        if (types.putIfAbsent(family, type) != null) {
                            throw new FormatException(lineNumber, "second TYPE line for " + family);
                        }
                        if (samples.containsKey(family)) {
                            throw new FormatException(lineNumber, "TYPE for " + family + " after its samples");
                        }
                    } else if (helps.putIfAbsent(family, parts.length == 4 ? unescapeHelp(parts[3], lineNumber) : "") != null) {
                        throw new FormatException(lineNumber, "second HELP line for " + family);
                    }
                    if (!family.equals(current)) {
                        if (current != null) {
                            finished.add(current);
                        }
                        if (finished.contains(family)) {
                            throw new FormatException(lineNumber, "family " + family + " is interleaved with another");
                        }
                        current = family;
                    }
                }
                continue;
            }
            Sample sample = sample(line, lineNumber);
            String family = familyOf(sample.name(), types);
            if (!family.equals(current)) {
                if (current != null) {
                    finished.add(current);
                }
                if (finished.contains(family)) {
                    throw new FormatException(lineNumber, "family " + family + " is interleaved with another");
                }
                current = family;
            }
            if (!seenSeries.add(sample.name() + sample.labels())) {
                throw new FormatException(lineNumber, "duplicate series " + sample.name() + sample.labels());
            }
            samples.computeIfAbsent(family, f -> new ArrayList<>()).add(sample);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> names = new java.util.LinkedHashSet<>(types.keySet());
        names.addAll(samples.keySet());
        for (String name : names) {
            Family family = new Family(name, types.getOrDefault(name, "untyped"), helps.get(name),
                    List.copyOf(samples.getOrDefault(name, List.of())));
            if (family.type().equals("histogram")) {
                checkHistogram(family);
            }
            families.put(name, family);
        }
        return families;
    }

    /** A sample's family: its name, or for histogram and summary parts the name without _bucket, _sum, _count. */
    private static String familyOf(String sampleName, Map<String, String> types) {
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type) && !suffix.equals("_bucket")) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static Sample sample(String line, int lineNumber) {
        int pos = 0;
        int n = line.length();
        while (pos < n && line.charAt(pos) != '{' && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
            pos++;
        }
        String name = line.substring(0, pos);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new FormatException(lineNumber, "invalid metric name '" + name + "'");
        }
        Map<String, String> labels = new TreeMap<>();
        if (pos < n && line.charAt(pos) == '{') {
            pos++;
            while (true) {
                if (pos < n && line.charAt(pos) == '}') {
                    pos++;
                    break;
                }
                int eq = line.indexOf('=', pos);
                if (eq < 0) {
                    throw new FormatException(lineNumber, "label without '=': " + line);
                }
                String label = line.substring(pos, eq);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new FormatException(lineNumber, "invalid label name '" + label + "'");
                }
                pos = eq + 1;
                if (pos >= n || line.charAt(pos) != '"') {
                    throw new FormatException(lineNumber, "label value of " + label + " must be quoted");
                }
                pos++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (pos >= n) {
                        throw new FormatException(lineNumber, "unterminated label value of " + label);
                    }
                    char c = line.charAt(pos++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (pos >= n) {
                            throw new FormatException(lineNumber, "dangling escape in label " + label);
                        }
                        char e = line.charAt(pos++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new FormatException(lineNumber, "invalid escape \\" + e + " in label " + label);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new FormatException(lineNumber, "label " + label + " given twice");
                }
                if (pos < n && line.charAt(pos) == ',') {
                    pos++;
                } else if (pos >= n || line.charAt(pos) != '}') {
                    throw new FormatException(lineNumber, "expected ',' or '}' after label " + label);
                }
            }
        }
        String rest = line.substring(pos).strip();
        String[] fields = rest.split("[ \t]+");
        if (rest.isEmpty() || fields.length > 2) {
            throw new FormatException(lineNumber, "expected a value and an optional timestamp: " + line);
        }
        if (!FLOAT.matcher(fields[0]).matches()) {
            throw new FormatException(lineNumber, "invalid value '" + fields[0] + "'");
        }
        if (fields.length == 2 && !fields[1].matches("-?\\d+")) {
            throw new FormatException(lineNumber, "invalid timestamp '" + fields[1] + "'");
        }
        double value = switch (fields[0]) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(fields[0]);
        };
        return new Sample(name, labels, value);
    }

    private static String unescapeHelp(String text, int lineNumber) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= text.length()) {
                throw new FormatException(lineNumber, "dangling escape in HELP");
            }
            switch (text.charAt(i)) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                default -> throw new FormatException(lineNumber, "invalid escape in HELP: \\" + text.charAt(i));
            }
        }
        return out.toString();
    }

    /** Per label set (le excluded): cumulative buckets ending in +Inf equal to _count, and a _sum. */
    private static void checkHistogram(Family family) {
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample sample : family.samples()) {
            Map<String, String> series = new TreeMap<>(sample.labels());
            if (sample.name().equals(family.name() + "_bucket")) {
                String le = series.remove("le");
                if (le == null) {
                    throw new FormatException(0, family.name() + "_bucket without an le label");
                }
                double bound = switch (le) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    default -> Double.parseDouble(le);
                };
                buckets.computeIfAbsent(series, s -> new TreeMap<>()).put(bound, sample.value());
            } else if (sample.name().equals(family.name() + "_count")) {
                counts.put(series, sample.value());
            } else if (sample.name().equals(family.name() + "_sum")) {
                sums.add(series);
            } else {
                throw new FormatException(0, "histogram " + family.name() + " has a sample " + sample.name());
            }
        }
        for (var entry : buckets.entrySet()) {
            double previous = 0;
            for (double count : entry.getValue().values()) {
                if (count < previous) {
                    throw new FormatException(0, family.name() + entry.getKey() + ": bucket counts decrease");
                }
                previous = count;
            }
            Double inf = entry.getValue().get(Double.POSITIVE_INFINITY);
            if (inf == null || !inf.equals(counts.get(entry.getKey()))) {
                throw new FormatException(0, family.name() + entry.getKey() + ": the +Inf bucket must equal _count");
            }
            if (!sums.contains(entry.getKey())) {
                throw new FormatException(0, family.name() + entry.getKey() + ": no _sum");
            }
        }
    }
}
