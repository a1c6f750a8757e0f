package org.concilium.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** '--name value' options and positional arguments of one subcommand. */
record Options(Map<String, String> named, List<String> positional) {

    static Options parse(String[] args) {
        Map<String, String> named = new HashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String key = a.substring(2);
                if (key.contains("=")) {
                    named.put(key.substring(0, key.indexOf('=')), key.substring(key.indexOf('=') + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    named.put(key, args[++i]);
                } else {
                    named.put(key, "true");
                }
            } else {
                positional.add(a);
            }
        }
        return new Options(named, positional);
    }

    String get(String name, String dflt) {
        return named.getOrDefault(name, dflt);
    }

    boolean flag(String name) {
        return "true".equals(named.get(name));
    }
}
