package io.gridtier.evaluation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model file with new churn points and a new version, edited as text so that every other number and every
 * comment of the source model stay as they were. Handles a factor written as a flow map
 * ({@code meterSilence: {points: 40, graceDays: 2}}) or as a block ({@code points: 40} on its own line);
 * anything else is refused. The caller validates the result by loading it (ModelConfig).
 */
public final class ModelFileEdit {
    private static final Pattern VERSION = Pattern.compile("^version:\\s*.*$");
    private static final Pattern POINTS_IN_FLOW = Pattern.compile("(\\bpoints:\\s*)(-?[0-9][0-9.eE+-]*)");
    private static final Pattern POINTS_LINE = Pattern.compile("^(\\s+points:\\s*)(-?[0-9][0-9.eE+-]*)(.*)$");

    private ModelFileEdit() {
    }

    /**
     * @param header comment lines (without {@code #}) put at the top of the file
     */
    public static String withChurnPoints(String yaml, Map<String, Double> points, String version, List<String> header) {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        int versionLine = find(lines, VERSION, 0, lines.size());
        if (versionLine < 0) {
            throw new IllegalArgumentException("the model file has no top-level 'version:' line");
        }
        lines.set(versionLine, "version: " + version);
        int churn = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("^churn:\\s*(#.*)?$")) {
                churn = i;
                break;
            }
        }
        if (churn < 0) {
            throw new IllegalArgumentException("the model file has no top-level 'churn:' section");
        }
        int end = churn + 1;
        while (end < lines.size() && !isTopLevel(lines.get(end))) {
            end++;
        }
        for (Map.Entry<String, Double> e : points.entrySet()) {
            setPoints(lines, churn + 1, end, e.getKey(), e.getValue());
        }
        StringBuilder out = new StringBuilder();
        for (String h : header) {
            out.append(h.isEmpty() ? "#" : "# " + h).append('\n');
        }
        if (!header.isEmpty()) {
            out.append('\n');
        }
        for (String l : lines) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    private static void setPoints(List<String> lines, int from, int to, String factor, double value) {
        Pattern key = Pattern.compile("^(\\s+)" + Pattern.quote(factor) + ":\\s*(.*)$");
        for (int i = from; i < to; i++) {
            Matcher m = key.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String rest = m.group(2);
            if (rest.startsWith("{")) {
                Matcher p = POINTS_IN_FLOW.matcher(lines.get(i));
                if (!p.find()) {
                    break;
                }
                lines.set(i, lines.get(i).substring(0, p.start(2)) + number(value) + lines.get(i).substring(p.end(2)));
                return;
            }
            int indent = m.group(1).length();
            for (int j = i + 1; j < to && indentOf(lines.get(j)) > indent; j++) {
                Matcher p = POINTS_LINE.matcher(lines.get(j));
                if (p.matches() && indentOf(lines.get(j)) > indent) {
                    lines.set(j, p.group(1) + number(value) + p.group(3));
                    return;
                }
            }
            break;
        }
        throw new IllegalArgumentException("churn." + factor + ".points not found in the model file");
    }

    private static boolean isTopLevel(String line) {
        return !line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#");
    }

    private static int indentOf(String line) {
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
            return Integer.MAX_VALUE; // blank and comment lines do not end a block
        }
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static int find(List<String> lines, Pattern p, int from, int to) {
        for (int i = from; i < to; i++) {
            if (p.matcher(lines.get(i)).matches()) {
                return i;
            }
        }
        return -1;
    }

    /** A number as the model file writes it: no trailing zeros, no exponent. */
    public static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
