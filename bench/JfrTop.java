import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of a Flight Recorder file's CPU samples: by self time (the frame on top of the stack), and
 * Dialtone's own methods by total time (anywhere on the stack), as a share of all samples.
 *
 * Run: java bench/JfrTop.java storm.jfr [how-many]
 */
public class JfrTop {

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("-?\\d+$", "-N").replaceAll("-\\d+-", "-N-"), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame);
                if (name.startsWith("dialtone.") && seen.add(name)) {
                    total.merge(name, 1, Integer::sum);
                }
            }
        }
        System.out.println("CPU samples: " + samples);
        print("by thread", threads, samples, top);
        print("self time (top of stack)", self, samples, top);
        print("Dialtone methods, total time (anywhere on the stack)", total, samples, top);
    }

    static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("-- " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%5.1f%%  %s%n", 100.0 * e.getValue() / samples, e.getKey()));
    }
}
