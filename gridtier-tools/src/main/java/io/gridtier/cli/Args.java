package io.gridtier.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of one command: {@code --name value}, {@code --flag}, repeatable {@code --set k=v}. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> sets = new ArrayList<>();

    Args(String[] args, Set<String> withValue, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            if (name.equals("set")) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--set needs key=value");
                }
                sets.add(args[++i]);
            } else if (flags.contains(name)) {
                values.put(name, "true");
            } else if (withValue.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                values.put(name, args[++i]);
            } else {
                throw new UsageException("unknown option --" + name + "; options: " + withValue + " " + flags + " --set k=v");
            }
        }
    }

    String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    int intValue(String name, int def) {
        String v = values.get(name);
        if (v == null) {
            return def;
        }
        try {
            return Integer.parseInt(v.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, is '" + v + "'");
        }
    }

    List<String> sets() {
        return sets;
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
