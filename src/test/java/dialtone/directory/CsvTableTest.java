package dialtone.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.directory.ImportRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvTableTest {

    @Test
    void everyFormulaStartIncludingTabAndCarriageReturnIsWrittenAsTextAndReadBackAsItWas() {
        List<String> attacks = List.of("=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", "plain", "a=1", "'kept");
        List<Map<String, String>> rows = attacks.stream().map(cell -> Map.of("name", cell)).toList();

        String csv = new String(CsvTable.write(List.of("name"), rows), StandardCharsets.UTF_8);

        assertThat(csv.split("\n", 2)[1]).isEqualTo("""
                "'=1+1"
                "'+1+1"
                "'-1+1"
                "'@SUM(1)"
                "'\t=1+1"
                "'\r=1+1"
                plain
                a=1
                "'kept"
                """);
        List<ImportRow> back = CsvTable.parse(csv.getBytes(StandardCharsets.UTF_8), Set.of("name"), "thing", 100);
        // Import strips surrounding blanks, so the tab and CR cases come back without them (and are then
        // refused by the field rules, which allow no control characters).
        assertThat(back).extracting(row -> row.cells().get("name"))
                .containsExactly("=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", "plain", "a=1", "'kept");
    }
}
