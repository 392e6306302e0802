package io.rampart.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.ThingAttribute;

/** {@code rampart thing list|describe|delete}. */
@Command(name = "thing", description = "List, describe and delete things.",
        subcommands = {ThingCommand.ListThings.class, ThingCommand.DescribeThing.class, ThingCommand.DeleteThing.class})
public final class ThingCommand extends Group {

    @Command(name = "list", description = "List all things (every page).")
    static final class ListThings extends NodeCommand {
        @Override
        int run(NodeConnection node, Output out) {
            ArrayNode things = out.array();
            List<List<String>> rows = new ArrayList<>();
            for (ThingAttribute thing : node.iot().listThingsPaginator(r -> { }).things()) {
                ObjectNode item = things.addObject()
                        .put("thingName", thing.thingName())
                        .put("thingArn", thing.thingArn())
                        .put("thingTypeName", thing.thingTypeName())
                        .put("version", thing.version());
                thing.attributes().forEach(item.putObject("attributes")::put);
                rows.add(List.of(thing.thingName(), nullToDash(thing.thingTypeName()),
                        String.valueOf(thing.version()), attributes(thing.attributes())));
            }
            ObjectNode document = out.object();
            document.set("things", things);
            out.table(document, List.of("NAME", "TYPE", "VERSION", "ATTRIBUTES"), rows);
            return 0;
        }
    }

    @Command(name = "describe", description = "Show a thing and the principals (certificates) attached to it.")
    static final class DescribeThing extends NodeCommand {
        @Parameters(paramLabel = "NAME", description = "Thing name.")
        String name;

        @Override
        int run(NodeConnection node, Output out) {
            DescribeThingResponse thing = node.iot().describeThing(r -> r.thingName(name));
            List<String> principals = node.iot().listThingPrincipalsPaginator(r -> r.thingName(name)).principals()
                    .stream().toList();
            ObjectNode document = out.object()
                    .put("thingName", thing.thingName())
                    .put("thingArn", thing.thingArn())
                    .put("thingId", thing.thingId())
                    .put("thingTypeName", thing.thingTypeName())
                    .put("version", thing.version());
            thing.attributes().forEach(document.putObject("attributes")::put);
            principals.forEach(document.putArray("principals")::add);
            String human = "name:       " + thing.thingName()
                    + "\narn:        " + thing.thingArn()
                    + "\ntype:       " + nullToDash(thing.thingTypeName())
                    + "\nversion:    " + thing.version()
                    + "\nattributes: " + attributes(thing.attributes())
                    + "\nprincipals: " + (principals.isEmpty() ? "-" : String.join("\n            ", principals));
            out.print(document, human);
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a thing (detach its principals first, as AWS IoT requires).")
    static final class DeleteThing extends NodeCommand {
        @Parameters(paramLabel = "NAME", description = "Thing name.")
        String name;

        @Override
        int run(NodeConnection node, Output out) {
            node.iot().deleteThing(r -> r.thingName(name));
            out.print(out.object().put("deleted", name), "deleted thing " + name);
            return 0;
        }
    }

    static String nullToDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    static String attributes(Map<String, String> attributes) {
        return attributes.isEmpty() ? "-" : attributes.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
