package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The Kubernetes objects `helm template` rendered, parsed. */
final class Manifests {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    final String text;
    final List<JsonNode> objects;

    private Manifests(String text, List<JsonNode> objects) {
        this.text = text;
        this.objects = objects;
    }

    /**
     * Renders the chart with release "gridtier" in namespace "gridtier" and the given extra helm
     * arguments; fails the test with helm's output when helm refuses.
     */
    static Manifests render(String... extraArgs) {
        Tools.Result r = renderRaw(extraArgs);
        if (!r.ok()) {
            throw new AssertionError("helm template failed:\n" + r.describe());
        }
        return parse(r.stdout());
    }

    static Tools.Result renderRaw(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("template", "gridtier", Repo.CHART.toString(), "--namespace", "gridtier"));
        args.addAll(List.of(extraArgs));
        return Tools.helm(args.toArray(String[]::new));
    }

    static Manifests parse(String text) {
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode() && n.size() > 0) {
                    objects.add(n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered manifests are not valid YAML", e);
        }
        return new Manifests(text, objects);
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).collect(Collectors.toList());
    }

    JsonNode one(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + ", found " + found.size() + " among " + kinds());
        }
        return found.get(0);
    }

    List<String> kinds() {
        return objects.stream().map(o -> o.path("kind").asText()).sorted().collect(Collectors.toList());
    }

    static JsonNode yaml(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
