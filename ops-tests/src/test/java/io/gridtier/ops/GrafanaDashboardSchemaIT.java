package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboards against Grafana's published schema: the npm package {@code @grafana/schema} ships
 * it as TypeScript types (generated from Grafana's CUE kinds: the dashboard model, and each panel
 * plugin's options and field config), so each dashboard is written out as typed TypeScript constants
 * and type-checked with {@code tsc --strict}. Object literals get TypeScript's excess-property check:
 * an unknown key, a missing required one, a wrong type or a value outside an enum is an error.
 *
 * <p>Two honest adaptations, both in the generated file's header: JSON holds an enum's value
 * ("palette-classic"), never its TypeScript member, so string enums are compared by value
 * ({@code Stored<T>}); and a panel's options and custom field config are checked as optional
 * throughout ({@code Defaulted<T>}), because Grafana fills what a dashboard leaves out from the
 * plugin's defaults — but every key and value that is there must be one the plugin knows.
 */
class GrafanaDashboardSchemaIT {
    private static final Pattern TSC_ERROR = Pattern.compile("^(.+?\\.ts)\\((\\d+),(\\d+)\\): error (TS\\d+: .*)$");

    @Test
    void everyDashboardMatchesGrafanasPublishedSchema() {
        Map<String, JsonNode> dashboards = new LinkedHashMap<>();
        for (Path file : MetricNamesTest.dashboardFiles()) {
            dashboards.put(file.getFileName().toString(), MetricNamesTest.readJson(file));
        }
        assertThat(dashboards).hasSizeGreaterThanOrEqualTo(2);
        assertThat(typeErrors("dashboards", dashboards))
                .as("helm/gridtier/dashboards/*.json against Grafana's schema (" + Tools.GRAFANA_SCHEMA_NPM + ", "
                        + Tools.TYPESCRIPT_NPM + "); the generated files are in " + Repo.TARGET.resolve("ops-work/grafana-schema/dashboards"))
                .isEmpty();
    }

    @Test
    void aDashboardThatBreaksTheSchemaIsRefused() {
        // tsc reports the first mismatch of each object literal: one broken thing per literal
        ObjectNode unknownKey = (ObjectNode) MetricNamesTest.readJson(Repo.DASHBOARDS.resolve("customer-segments.json"));
        unknownKey.put("refreshEvery", "1m");                    // no such dashboard key
        ObjectNode broken = (ObjectNode) MetricNamesTest.readJson(Repo.DASHBOARDS.resolve("pipeline-health.json"));
        broken.put("graphTooltip", "shared");                    // a number (DashboardCursorSync)
        for (JsonNode p : broken.path("panels")) {
            ObjectNode panel = (ObjectNode) p;
            switch (panel.path("title").asText()) {
                case "Running jobs" -> ((ObjectNode) panel.path("options")).put("colourMode", "value");
                case "Restarts" -> ((ObjectNode) panel.path("options").path("legend")).put("displayMode", "sideways");
                case "Checkpoint duration" -> panel.withObject("/fieldConfig/defaults/custom").put("lineWidth", "thin");
                case "Busy time" -> panel.remove("type");
                default -> { }
            }
        }
        List<String> errors = typeErrors("broken", Map.of("broken.json", broken, "unknown-key.json", unknownKey));
        String all = String.join("\n", errors);
        assertThat(all).as("tsc output")
                .contains("'\"refreshEvery\"' does not exist")
                .contains("\"graphTooltip\" : \"shared\"", "not assignable to type 'DashboardCursorSync")
                .contains("'\"colourMode\"' does not exist")
                .contains("'\"sideways\"' is not assignable")
                .contains("\"thin\"")
                .contains("Property 'type' is missing");
    }

    /** Type errors of the given dashboards (by file name), each with the place in the dashboard it concerns. */
    static List<String> typeErrors(String name, Map<String, JsonNode> dashboards) {
        Path schema = Tools.grafanaSchema();
        Path dir = Repo.workDir("grafana-schema").resolve(name);
        try {
            Repo.deleteRecursively(dir);
            Files.createDirectories(dir);
            Files.createSymbolicLink(dir.resolve("node_modules"), schema.resolve("node_modules"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> files = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        dashboards.forEach((file, json) -> {
            String ts = file.replaceAll("\\.json$", "") + ".ts";
            Repo.write(dir.resolve(ts), typeScript(file, json, schema, problems));
            files.add(ts);
        });
        Repo.write(dir.resolve("tsconfig.json"), """
                {
                  "compilerOptions": {
                    "strict": true, "noEmit": true, "module": "esnext", "moduleResolution": "bundler",
                    "target": "es2022", "skipLibCheck": true, "types": []
                  },
                  "files": [%s]
                }
                """.formatted(String.join(", ", files.stream().map(f -> "\"" + f + "\"").toList())));
        Tools.Result r = Tools.run(List.of("node", schema.resolve("node_modules/typescript/bin/tsc").toString(),
                "-p", dir.resolve("tsconfig.json").toString(), "--pretty", "false"), dir, Map.of(), 300);
        for (String line : (r.stdout() + r.stderr()).lines().toList()) {
            Matcher m = TSC_ERROR.matcher(line.strip());
            if (m.matches()) {
                problems.add(where(dir.resolve(m.group(1)), Integer.parseInt(m.group(2))) + ": " + m.group(4));
            } else if (!line.isBlank() && !line.startsWith(" ")) {
                problems.add(line);
            }
        }
        if (!r.ok() && problems.isEmpty()) {
            problems.add(r.describe());
        }
        return problems;
    }

    /** The generated comment above the constant that holds a line: "pipeline-health.json, panel 12 'Restarts' options: line". */
    private static String where(Path ts, int line) {
        List<String> lines = List.of(Repo.read(ts).split("\n", -1));
        String source = line - 1 < lines.size() ? lines.get(line - 1).strip() : "";
        for (int i = Math.min(line - 1, lines.size() - 1); i >= 0; i--) {
            if (lines.get(i).startsWith("// @ ")) {
                return lines.get(i).substring(5) + " [" + ts.getFileName() + ":" + line + " " + source + "]";
            }
        }
        return ts.getFileName() + ":" + line + " " + source;
    }

    /**
     * One dashboard as TypeScript: each panel a {@code Panel} (or {@code RowPanel}) constant, its
     * options and custom field defaults constants of its plugin's published types, and the dashboard
     * a {@code Dashboard} constant that lists the panels.
     */
    static String typeScript(String file, JsonNode dashboard, Path schema, List<String> problems) {
        StringBuilder body = new StringBuilder();
        Map<String, String> pluginImports = new LinkedHashMap<>();
        List<String> panelConsts = new ArrayList<>();
        int n = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            n++;
            String id = "panel" + n;
            String label = file + ", panel " + panel.path("id").asText("?") + " '" + panel.path("title").asText() + "'";
            boolean row = "row".equals(panel.path("type").asText());
            body.append("// @ ").append(label).append('\n')
                    .append("export const ").append(id).append(": Stored<").append(row ? "RowPanel" : "Panel").append("> = ")
                    .append(pretty(panel)).append(";\n\n");
            panelConsts.add(id);
            String type = panel.path("type").asText();
            if (row || type.isEmpty()) {
                continue;
            }
            String module = panelModule(schema, type);
            if (module == null) {
                problems.add(label + ": panel type '" + type + "' has no published options schema in " + Tools.GRAFANA_SCHEMA_NPM);
                continue;
            }
            String alias = "plugin_" + type.replaceAll("\\W", "_");
            pluginImports.put(alias, module);
            body.append("// @ ").append(label).append(" options\n")
                    .append("export const ").append(id).append("_options: Defaulted<").append(alias).append(".Options> = ")
                    .append(pretty(panel.path("options").isMissingNode() ? Manifests.JSON.createObjectNode() : panel.path("options")))
                    .append(";\n\n");
            JsonNode custom = panel.path("fieldConfig").path("defaults").path("custom");
            if (!custom.isMissingNode()) {
                if (hasFieldConfig(schema, module)) {
                    body.append("// @ ").append(label).append(" fieldConfig.defaults.custom\n")
                            .append("export const ").append(id).append("_custom: Defaulted<").append(alias).append(".FieldConfig> = ")
                            .append(pretty(custom)).append(";\n\n");
                } else if (custom.size() > 0) {
                    problems.add(label + ": fieldConfig.defaults.custom set, but panel type '" + type + "' has no custom field config");
                }
            }
        }
        ObjectNode top = dashboard.deepCopy();
        top.put("panels", "@PANELS@");
        body.append("// @ ").append(file).append(" (the dashboard)\n")
                .append("export const dashboard: Stored<Dashboard> = ")
                .append(pretty(top).replace("\"@PANELS@\"", "[" + String.join(", ", panelConsts) + "]")).append(";\n");

        StringBuilder head = new StringBuilder("""
                // Generated by ops-tests GrafanaDashboardSchemaIT from helm/gridtier/dashboards/%s: type-checked, never run.
                import type { Dashboard, Panel, RowPanel } from '@grafana/schema';
                """.formatted(file));
        pluginImports.forEach((alias, module) -> head.append("import type * as ").append(alias).append(" from '")
                .append(module).append("';\n"));
        head.append("""

                /** JSON holds an enum's value, never its TypeScript member: a string enum is compared by its values. */
                type Stored<T> = T extends string ? `${T}` : T extends readonly (infer E)[] ? Stored<E>[]
                    : T extends object ? { [K in keyof T]: Stored<T[K]> } : T;
                /** Panel options Grafana fills from the plugin's defaults: any may be left out, none may be unknown. */
                type Defaulted<T> = T extends string ? `${T}` : T extends readonly (infer E)[] ? Defaulted<E>[]
                    : T extends object ? { [K in keyof T]?: Defaulted<T[K]> } : T;

                """);
        return head + body.toString();
    }

    /** The import path of a panel plugin's types, from the package's export map (null: none published). */
    static String panelModule(Path schema, String type) {
        JsonNode exports = MetricNamesTest.readJson(schema.resolve("node_modules/@grafana/schema/package.json")).path("exports");
        String prefix = "./dist/esm/raw/composable/" + type + "/panelcfg/x/";
        for (Iterator<String> it = exports.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.startsWith(prefix) && key.endsWith("_types.gen")) {
                return "@grafana/schema" + key.substring(1);
            }
        }
        return null;
    }

    private static boolean hasFieldConfig(Path schema, String module) {
        JsonNode exports = MetricNamesTest.readJson(schema.resolve("node_modules/@grafana/schema/package.json")).path("exports");
        String types = exports.path("." + module.substring("@grafana/schema".length())).path("types").asText();
        Path dts = schema.resolve("node_modules/@grafana/schema").resolve(types);
        return Files.isRegularFile(dts) && Repo.read(dts).contains("export interface FieldConfig ");
    }

    private static String pretty(JsonNode node) {
        try {
            return Manifests.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
