package io.rampart.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rampart.common.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** What a verb prints: aligned human-readable text, or with {@code --json} one JSON document for scripts. */
final class Output {
    private final PrintWriter out;
    private final boolean json;
    private final ObjectMapper mapper = Json.newMapper();

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    ArrayNode array() {
        return mapper.createArrayNode();
    }

    /** Parses text that should be JSON (a policy document), keeping it as a string when it is not. */
    JsonNode parseOrText(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }

    String pretty(JsonNode node) {
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** Prints {@code document} with {@code --json}, else the human form. */
    void print(JsonNode document, String human) {
        out.println(json ? pretty(document) : human);
        out.flush();
    }

    /** Prints {@code rows} under {@code headers} with aligned columns, or the JSON document with {@code --json}. */
    void table(JsonNode document, List<String> headers, List<List<String>> rows) {
        if (json) {
            print(document, "");
            return;
        }
        int[] widths = new int[headers.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(headers);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], String.valueOf(row.get(i)).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = String.valueOf(row.get(i));
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - cell.length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }
}
