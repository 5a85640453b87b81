package dialtone.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dialtone.testing.AdminClient;
import dialtone.testing.Await;
import dialtone.testing.TestDialtone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Prometheus alert rules and Grafana dashboard: the rules pass promtool's check and their unit tests,
 * and every metric (and every label they select on) that the rules and the dashboard name is in a real scrape.
 */
class AlertRulesAndDashboardTest {

    static final Path RULES = Path.of("contrib/prometheus/dialtone-alerts.yml");
    static final Path RULE_TESTS = Path.of("contrib/prometheus/dialtone-alerts.test.yml");
    static final Path DASHBOARD = Path.of("contrib/grafana/dialtone-dashboard.json");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    /** Metric names of ours and of the binders; {@code up} is Prometheus's own and never scraped. */
    static final Pattern METRIC = Pattern.compile("\\b((?:dialtone|jvm|process|hikaricp|system)_[a-z0-9_]+)\\b(\\{[^}]*})?");
    /** Labels Prometheus adds to every scraped series. */
    static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    @Test
    void theAlertRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
        assumeThat(PROMTOOL).as("promtool (Debian prometheus) is installed by .ci/run").exists();

        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS: 8 rules found");
        assertThat(promtool("test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
        return output;
    }

    @Test
    void theRulesNameTheFourAlertsAnOperatorNeeds() throws Exception {
        List<String> alerts = new ArrayList<>();
        new YAMLMapper().readTree(RULES.toFile()).path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> alerts.add(rule.path("alert").asText() + ": " + rule.path("expr").asText())));

        assertThat(alerts).anyMatch(a -> a.startsWith("DialtoneCertificateExpiresSoon: ") && a.contains("14 * 86400"))
                .anyMatch(a -> a.startsWith("DialtoneOutboxStuck: dialtone_outbox_oldest_pending_age_seconds"))
                .anyMatch(a -> a.startsWith("DialtoneErrorRatioHigh: ") && a.contains("status=~\"5..\""))
                .anyMatch(a -> a.startsWith("DialtoneNotReady: dialtone_ready == 0"))
                .anyMatch(a -> a.startsWith("DialtoneDown: up{job=\"dialtone\"} == 0"));
    }

    @Test
    void everyMetricAndLabelTheRulesAndTheDashboardNameIsInARealScrape(@TempDir Path dir) throws Exception {
        List<String> expressions = new ArrayList<>();
        new YAMLMapper().readTree(RULES.toFile()).path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> expressions.add(rule.path("expr").asText())));
        int ruleExpressions = expressions.size();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> expressions.add(target.path("expr").asText())));
        expressions.add(dashboard.path("templating").path("list").get(1).path("definition").asText());
        assertThat(expressions.size() - ruleExpressions).as("dashboard queries").isGreaterThan(20);

        String scrape;
        try (TestDialtone server = new TestDialtone(dir)) {
            everySeriesHasASample(server);
            System.gc();
            scrape = Await.until("a GC pause among the JVM metrics", () -> scrape(server),
                    text -> text.contains("jvm_gc_pause_seconds_count"));
        }

        Set<String> missing = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                String name = m.group(1);
                if (!Pattern.compile("(?m)^" + name + "[{ ]").matcher(scrape).find()) {
                    missing.add(name + " (in " + expression.strip() + ")");
                    continue;
                }
                for (String label : labelsSelected(m.group(2))) {
                    if (!Pattern.compile("(?m)^" + name + "\\{[^}]*\\b" + label + "=").matcher(scrape).find()) {
                        missing.add(name + " label " + label + " (in " + expression.strip() + ")");
                    }
                }
            }
        }
        assertThat(missing).as("metrics or labels the rules and dashboard use but /metrics lacks").isEmpty();
    }

    private static List<String> labelsSelected(String selector) {
        List<String> labels = new ArrayList<>();
        if (selector != null) {
            Matcher m = Pattern.compile("([a-z_]+)\\s*(?:=~|!~|!=|=)").matcher(selector);
            while (m.find()) {
                if (!TARGET_LABELS.contains(m.group(1))) {
                    labels.add(m.group(1));
                }
            }
        }
        return labels;
    }

    /** Requests, a handshake, a phone file: the series that appear only once something happened now have one. */
    private static void everySeriesHasASample(TestDialtone server) throws Exception {
        AdminClient admin = server.admin();
        admin.createAccount("Scraped");
        server.phone().get("/y000000000066.cfg", Map.of("User-Agent", "Yealink SIP-T46S 66.86.0.15"));
    }

    private static String scrape(TestDialtone server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.managementPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theDashboardIsOneGrafanaDashboardWithAnInstanceChoice() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));

        assertThat(dashboard.path("uid").asText()).isEqualTo("dialtone");
        assertThat(dashboard.path("templating").path("list")).extracting(v -> v.path("name").asText())
                .containsExactly("datasource", "instance");
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target ->
                assertThat(target.path("expr").asText()).as(panel.path("title").asText())
                        .contains("instance=~\"$instance\"")));
    }
}
