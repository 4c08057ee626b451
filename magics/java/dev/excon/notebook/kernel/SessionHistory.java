package dev.excon.notebook.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;

/**
 * The inputs (and plain-text outputs) of this kernel session, for history requests. Kept in memory: the session is
 * numbered 1 and a restart starts a new, empty one.
 */
final class SessionHistory implements HistoryManager {

    static final int SESSION = 1;

    private record Cell(int number, String input, String output) {}

    private final List<Cell> cells = new ArrayList<>();

    synchronized void add(int number, String input, String output) {
        cells.add(new Cell(number, input, output == null ? "" : output));
    }

    @Override
    public synchronized List<HistoryEntry> lookupRange(int session, int start, int stop, Set<ResultFlag> flags) {
        List<HistoryEntry> out = new ArrayList<>();
        if (session != SESSION && session != 0) {
            return out; // earlier sessions are not kept
        }
        for (Cell c : cells) {
            if (c.number >= start && (stop <= 0 || c.number < stop)) {
                out.add(entry(c, flags));
            }
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> lookupTail(int length, Set<ResultFlag> flags) {
        int from = length <= 0 ? 0 : Math.max(0, cells.size() - length);
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : cells.subList(from, cells.size())) {
            out.add(entry(c, flags));
        }
        return out;
    }

    @Override
    public synchronized List<HistoryEntry> search(String pattern, int length, Set<ResultFlag> flags) {
        Pattern p = glob(pattern == null || pattern.isEmpty() ? "*" : pattern);
        List<Cell> matches = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        boolean unique = flags.contains(ResultFlag.UNIQUE);
        for (int i = cells.size() - 1; i >= 0; i--) { // newest first, so "unique" keeps the latest of each input
            Cell c = cells.get(i);
            if (p.matcher(c.input).matches() && (!unique || seen.add(c.input))) {
                matches.add(0, c);
            }
        }
        if (length > 0 && matches.size() > length) {
            matches = matches.subList(matches.size() - length, matches.size());
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Cell c : matches) {
            out.add(entry(c, flags));
        }
        return out;
    }

    private static HistoryEntry entry(Cell c, Set<ResultFlag> flags) {
        return new HistoryEntry(SESSION, c.number, c.input, flags.contains(ResultFlag.INCLUDE_OUTPUT) ? c.output : null);
    }

    /** An sqlite GLOB (the protocol's pattern syntax) as a regular expression: * ? and [...] / [^...]. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int end = glob.indexOf(']', i + 2);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        boolean negate = set.startsWith("^");
                        set = (negate ? set.substring(1) : set).replace("\\", "\\\\").replace("[", "\\[")
                                .replace("&&", "\\&\\&");
                        re.append('[').append(negate ? "^" : "").append(set).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
