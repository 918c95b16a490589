package io.kaflowsql.docs;

import java.util.ArrayList;
import java.util.List;

/**
 * Output shown in the docs against real output: line by line and exactly, where a line {@code ...} stands for any
 * number of lines. Without {@code ...} at its start or end the shown output must start or end where the real one does.
 */
final class ExpectedText
{
    private static final String ELLIPSIS = "...";

    private ExpectedText() {}

    static boolean matches(List<String> expected, List<String> actual)
    {
        List<List<String>> segments = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : expected) {
            if (line.trim().equals(ELLIPSIS)) {
                segments.add(current);
                current = new ArrayList<>();
            }
            else {
                current.add(line);
            }
        }
        segments.add(current);
        int position = 0;
        for (int s = 0; s < segments.size(); s++) {
            List<String> segment = segments.get(s);
            boolean first = s == 0;
            boolean last = s == segments.size() - 1;
            if (last) {
                int start = actual.size() - segment.size();
                if (start < position || (first && start != 0) || !actual.subList(start, actual.size()).equals(segment)) {
                    return false;
                }
                return true;
            }
            int found = first ? (startsWith(actual, segment, 0) ? 0 : -1) : indexOf(actual, segment, position);
            if (found < 0) {
                return false;
            }
            position = found + segment.size();
        }
        return true;
    }

    private static int indexOf(List<String> actual, List<String> segment, int from)
    {
        for (int i = from; i + segment.size() <= actual.size(); i++) {
            if (startsWith(actual, segment, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(List<String> actual, List<String> segment, int at)
    {
        return at + segment.size() <= actual.size() && actual.subList(at, at + segment.size()).equals(segment);
    }
}
