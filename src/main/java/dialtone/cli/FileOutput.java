package dialtone.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Option;

/** --output for commands that fetch bytes (uploads, greetings, CSV exports): a file, or standard output. */
final class FileOutput {

    @Option(names = {"-o", "--output"}, description = "file to write (default: standard output)")
    Path output;

    /** Where bytes go without --output; raw, since what is fetched need not be text. */
    OutputStream stdout = System.out;

    /** Writes the bytes; a file is replaced only once complete. Notes on stderr, so stdout stays the bytes. */
    void write(byte[] bytes, PrintWriter out, PrintWriter err) throws IOException {
        if (output == null) {
            out.flush();
            stdout.write(bytes);
            stdout.flush();
            return;
        }
        Path tmp = output.resolveSibling(output.getFileName() + ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
        err.println("wrote " + output + " (" + bytes.length + " bytes)");
    }
}
