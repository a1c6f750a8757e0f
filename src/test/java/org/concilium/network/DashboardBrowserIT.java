package org.concilium.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concilium.network.NetworkFixture.fhir;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.concilium.cli.LocalUiUsers;
import org.concilium.demo.DemoMeasures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard at /ui driven in Debian's headless Chromium over a real three-node network: sign
 * in, run a network query, watch the progress finish, and check that the numbers in the tables, the
 * bars of the charts and the downloaded CSV are those of the MeasureReport fetched over the API.
 * Screenshots go to target/ui-*.png. Skipped (with a message) only where no Chromium is installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String MEASURE = DemoMeasures.HYPERTENSION_CONTROL;
    private static final String EPSILON = "0.5";
    private static final String BUDGET = "10";
    private static final String DISCLOSURE = "http://concilium.org/fhir/StructureDefinition/release-privacy";

    private static NetworkFixture net;
    private static WebDriver browser;
    private static String password;
    private static String ui;
    private static String reportId;

    @BeforeAll
    static void up() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "DashboardBrowserIT skipped: no /usr/bin/chromium and /usr/bin/chromedriver"
                        + " (apt-get install -y chromium chromium-driver)");
        // the default small-cell rule (k = 11) over 60 patients a site: some cells are masked, as in real use;
        // differential privacy on (ε = 0.5 a query), so that the report must say so
        net = NetworkFixture.start(3, 60, List.of("--epsilon", EPSILON, "--epsilon-budget", BUDGET), false);
        password = LocalUiUsers.create(net.dir.resolve("net"), net.sites);
        ui = net.sites.get(0).fhirBase().replaceFirst("/fhir$", "/ui/");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                "--user-data-dir=" + Files.createTempDirectory("concilium-chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build(), options);
    }

    @AfterAll
    static void down() {
        if (browser != null) {
            browser.quit();
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedAndTheRightOneSignsIn() throws Exception {
        browser.get(ui);
        wait(Duration.ofSeconds(20)).until(b -> b.findElement(By.id("signin-form")).isDisplayed());
        signIn(LocalUiUsers.QUALITY, "not-the-password");
        wait(Duration.ofSeconds(20)).until(b -> !b.findElement(By.id("signin-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("signin-error")).getText()).contains("wrong password");
        screenshot("signin");
        signIn(LocalUiUsers.QUALITY, password);
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("who-name")).isEmpty());
        assertThat(browser.findElement(By.id("who-name")).getText()).isEqualTo(LocalUiUsers.QUALITY);
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.cssSelector("#catalog tbody tr")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#catalog tbody th")).stream().map(WebElement::getText))
                .containsAll(DemoMeasures.IDS);
    }

    @Test
    @Order(2)
    void theSessionCookieAloneIsNotEnoughWithoutTheDashboardHeader() {
        Object withHeader = js("fetch('/network/fhir/Measure', {headers: {'X-Concilium-UI': '1'}})"
                + ".then(r => arguments[0](r.status))");
        Object without = js("fetch('/network/fhir/Measure').then(r => arguments[0](r.status))");
        Object siteData = js("fetch('/fhir/Patient', {headers: {'X-Concilium-UI': '1'}}).then(r => arguments[0](r.status))");
        assertThat(withHeader).isEqualTo(200L);
        assertThat(without).isEqualTo(401L);
        assertThat(siteData).as("a querier may not read the site's records").isEqualTo(403L);
    }

    @Test
    @Order(3)
    void aNetworkQueryShowsProgressThenTheNumbersOfTheReport() throws Exception {
        browser.get(ui + "#query");
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("run")).isEmpty());
        new Select(browser.findElement(By.id("measure"))).selectByValue(MEASURE);
        // every progress text the page shows, recorded as it changes
        ((JavascriptExecutor) browser).executeScript("window.progressSeen = [];"
                + "new MutationObserver(() => window.progressSeen.push(document.getElementById('progress').textContent))"
                + ".observe(document.getElementById('progress'), {childList: true, characterData: true, subtree: true});");
        browser.findElement(By.id("run")).click();
        wait(Duration.ofMinutes(4)).until(b -> {
            String cls = b.findElement(By.id("progress")).getAttribute("class");
            return "done".equals(cls) || "failed".equals(cls);
        });
        assertThat(browser.findElement(By.id("progress")).getText()).isEqualTo("Progress: done");
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) ((JavascriptExecutor) browser).executeScript("return window.progressSeen;");
        assertThat(seen).as("progress before the end").anyMatch(s -> s.startsWith("Progress: ") && !s.endsWith("done"));
        screenshot("report");

        JsonPath downloaded = JsonPath.from((String) js("fetch(document.getElementById('download-json').href)"
                + ".then(r => r.text()).then(arguments[0])"));
        reportId = downloaded.getString("id");
        JsonPath api = JsonPath.from(fhir().get(net.sites.get(0).networkBase() + "/MeasureReport/" + reportId)
                .then().statusCode(200).extract().asString());

        // each population's count as the page must write it: the number, or "masked"
        Map<String, String> expected = new LinkedHashMap<>();
        List<Map<String, Object>> pops = api.getList("group[0].population");
        for (Map<String, Object> p : pops) {
            expected.put(code(p), p.get("count") == null ? "masked" : p.get("count").toString());
        }
        assertThat(expected).isNotEmpty().containsKey("denominator");
        assertThat(api.prettify()).as("the small-cell rule masked something in this report").contains("\"masked\"");
        Map<String, String> shown = new LinkedHashMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#report section.group:first-of-type .figure:first-of-type table tbody tr"))) {
            shown.put(row.findElement(By.tagName("th")).getText(), row.findElement(By.tagName("td")).getText());
        }
        assertThat(shown).isEqualTo(expected);
        assertThat(browser.findElement(By.id("contributing-sites")).getText()).isEqualTo("3");
        Number score = api.get("group[0].measureScore.value");
        String shownScore = browser.findElement(By.id("score-0")).getText();
        if (score == null) {
            assertThat(shownScore).isIn("masked", "\u2014");
        } else {
            assertThat(Double.parseDouble(shownScore)).isCloseTo(score.doubleValue(), org.assertj.core.data.Offset.offset(0.001));
        }

        // the population chart: one bar per population, its length proportional to the count; a masked
        // cell is a hatched full-length bar, never a short one that reads as a small number
        List<WebElement> bars = browser.findElements(By.cssSelector("#report section.group:first-of-type .figure:first-of-type svg rect.bar"));
        assertThat(bars).hasSize(expected.size());
        int max = expected.values().stream().filter(v -> !v.equals("masked")).mapToInt(Integer::parseInt).max().orElse(1);
        for (WebElement bar : bars) {
            String value = expected.get(bar.getAttribute("data-label"));
            double width = Double.parseDouble(bar.getAttribute("width"));
            if (value.equals("masked")) {
                assertThat(bar.getAttribute("class")).contains("masked");
                assertThat(bar.getAttribute("fill")).isEqualTo("url(#masked-hatch)");
                assertThat(bar.getCssValue("fill")).as("drawn hatched, not as a plain bar").contains("masked-hatch");
                assertThat(width).isEqualTo(320.0);
            } else {
                assertThat(bar.getAttribute("data-value")).isEqualTo(value);
                assertThat(width).isGreaterThan(0).isCloseTo(max == 0 ? 1 : 320.0 * Integer.parseInt(value) / max,
                        org.assertj.core.data.Offset.offset(1.01));
            }
        }
        int maskedInApi = api.prettify().split("\"masked\"", -1).length - 1;
        assertThat(browser.findElements(By.cssSelector("#report rect.bar.masked")).size()
                + browser.findElements(By.cssSelector("#report td.masked")).size()).as("masked cells drawn").isPositive();
        assertThat(maskedInApi).isPositive();
        assertThat(browser.findElement(By.id("masked-note")).getText()).contains("small-cell rule");
        assertThat(browser.findElement(By.cssSelector("#report svg")).getSize().getWidth()).isGreaterThan(300);

        // the CSV download: every population row equals the API's count
        String csv = (String) js("fetch(document.getElementById('download-csv').href).then(r => r.text()).then(arguments[0])");
        Files.writeString(Path.of("target", "ui-report.csv"), csv);
        String group = code(api.getMap("group[0]"));
        group = group == null || group.isEmpty() ? "group-1" : group;
        Map<String, String> fromCsv = new LinkedHashMap<>();
        List<String> strata = new ArrayList<>();
        for (String line : csv.split("\n")) {
            String[] c = line.split(",", -1);
            if (c[0].equals("population") && c[1].equals(group)) {
                fromCsv.put(c[4], c[5]);
            }
            if (c[0].equals("stratum")) {
                strata.add(line);
            }
        }
        assertThat(fromCsv).isEqualTo(expected);
        int apiStratumPopulations = 0;
        List<Object> stratumPopulations = api.getList("group[0].stratifier.stratum.population.flatten()");
        if (stratumPopulations != null) {
            apiStratumPopulations = stratumPopulations.size();
        }
        assertThat(strata).hasSize(apiStratumPopulations);

        // the privacy disclosure of the report, in words: noise added, ε spent of the budget, k, the cells withheld
        assertThat(browser.findElement(By.id("privacy-noise")).getText()).startsWith("Noise added: ε = " + EPSILON
                + " spent by this query").contains("of a budget of ε = " + BUDGET).contains("standard deviation");
        assertThat(browser.findElement(By.id("privacy-suppression")).getText()).contains("k = 11");
        List<String> suppressed = new ArrayList<>();
        for (Map<String, Object> part : api.<Map<String, Object>>getList("extension.find { it.url == '" + DISCLOSURE
                + "' }.extension")) {
            assertThat(part.get("url")).isNotNull();
            if (part.get("url").equals("noiseAdded")) {
                assertThat(part.get("valueBoolean")).isEqualTo(true);
            }
            if (part.get("url").equals("suppressed")) {
                suppressed.add((String) part.get("valueString"));
            }
        }
        assertThat(suppressed).hasSize(maskedInApi);
        assertThat(browser.findElements(By.cssSelector("#privacy-suppressed li")).stream().map(WebElement::getText))
                .containsExactlyElementsOf(suppressed);

        // supplemental data: one bar and one table row per value, masked values hatched, as in the API and the CSV
        List<Map<String, Object>> observations = api.getList("contained.findAll { it.resourceType == 'Observation' }");
        assertThat(observations).as("the demo measure has supplemental data").isNotEmpty();
        List<WebElement> sdeBars = browser.findElements(By.cssSelector("#supplemental svg rect.bar"));
        assertThat(sdeBars).hasSize(observations.size());
        List<String> sdeFromApi = new ArrayList<>();
        for (Map<String, Object> o : observations) {
            sdeFromApi.add(code(o) + "=" + (o.get("valueInteger") == null ? "masked" : o.get("valueInteger").toString()));
        }
        List<String> sdeShown = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#supplemental table tbody tr"))) {
            sdeShown.add(row.findElement(By.tagName("th")).getText() + "=" + row.findElement(By.tagName("td")).getText());
        }
        assertThat(sdeShown).containsExactlyInAnyOrderElementsOf(sdeFromApi);
        for (WebElement bar : sdeBars) {
            boolean masked = bar.getAttribute("class").contains("masked");
            assertThat(masked).isEqualTo(bar.getAttribute("data-value") == null);
            if (masked) {
                assertThat(bar.getCssValue("fill")).contains("masked-hatch");
            }
        }
        assertThat(csv.lines().filter(l -> l.startsWith("supplemental,"))).hasSize(observations.size());
        browser.findElement(By.id("supplemental")).getLocation(); // present; the screenshot shows it
        ((JavascriptExecutor) browser).executeScript("document.getElementById('supplemental').scrollIntoView()");
        screenshot("supplemental");
    }

    @Test
    @Order(4)
    void theHistoryShowsTheReportOnATrendChart() throws Exception {
        browser.get(ui + "#history");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("history-measure")).isEmpty());
        new Select(browser.findElement(By.id("history-measure"))).selectByValue(MEASURE);
        browser.findElement(By.cssSelector("#history-form button")).click();
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.cssSelector("#history-result svg .point")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#history-result a")).stream()
                .map(a -> a.getAttribute("href"))).anyMatch(h -> h.endsWith("#report/" + reportId));
        screenshot("history");
    }

    @Test
    @Order(5)
    void siteStaffSeeTheSiteAndEvaluateLocallyMarkedAsNotNetwork() throws Exception {
        browser.get(ui + "#catalog");
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("signout")).isEmpty());
        browser.findElement(By.id("signout")).click();
        wait(Duration.ofSeconds(20)).until(b -> b.findElement(By.id("signin-form")).isDisplayed());
        assertThat(js("fetch('/network/fhir/Measure', {headers: {'X-Concilium-UI': '1'}}).then(r => arguments[0](r.status))"))
                .as("signed out: the old cookie opens nothing").isEqualTo(401L);
        signIn(LocalUiUsers.STAFF, password);
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("who-name")).isEmpty());
        browser.get(ui + "#site");
        wait(Duration.ofSeconds(90)).until(b -> !b.findElements(By.cssSelector("#counts-table tbody tr")).isEmpty());
        int patients = fhir().get(net.sites.get(0).fhirBase() + "/Patient?_count=1&_total=accurate").then()
                .statusCode(200).extract().path("total");
        assertThat(browser.findElement(By.xpath("//table[@id='counts-table']//tr[th='Patient']/td")).getText())
                .isEqualTo(Integer.toString(patients));
        assertThat(browser.findElement(By.id("readiness-table")).getText()).isNotBlank();

        // every other site probed now: reachable, same epoch, key and policy, seen just now
        wait(Duration.ofSeconds(60)).until(b -> !b.findElements(By.cssSelector("#peers-table tbody tr")).isEmpty());
        List<WebElement> peers = browser.findElements(By.cssSelector("#peers-table tbody tr"));
        assertThat(peers.stream().map(r -> r.getAttribute("data-site")))
                .containsExactlyInAnyOrderElementsOf(net.sites.subList(1, net.sites.size()).stream().map(x -> x.id()).toList());
        for (WebElement row : peers) {
            assertThat(row.findElements(By.tagName("td")).subList(0, 5).stream().map(WebElement::getText))
                    .as("ready, reachable, same epoch, key, policy").containsOnly("yes");
            assertThat(row.findElement(By.cssSelector("td.last-seen")).getText()).isNotBlank()
                    .doesNotContain("not since");
        }

        // recent loads from the audit trail: the fixture's two transactions into this site, with every entry
        wait(Duration.ofSeconds(60)).until(b -> !b.findElements(By.id("loads-table")).isEmpty());
        int entries = 0;
        try (var files = Files.list(net.dir.resolve("data-0"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                entries += JsonPath.from(Files.readString(f)).getList("entry").size();
            }
        }
        List<WebElement> loads = browser.findElements(By.cssSelector("#loads-table tbody tr"));
        assertThat(loads).isNotEmpty();
        assertThat(loads.get(loads.size() - 1).findElement(By.cssSelector("td.resources")).getText())
                .as("the first load: the fixture's bundles").isEqualTo(Integer.toString(entries));
        screenshot("site");

        browser.get(ui + "#query");
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("run")).isEmpty());
        new Select(browser.findElement(By.id("measure"))).selectByValue(MEASURE);
        browser.findElement(By.id("run")).click();
        wait(Duration.ofMinutes(2)).until(b -> List.of("done", "failed").contains(
                b.findElement(By.id("progress")).getAttribute("class")));
        assertThat(browser.findElement(By.id("progress")).getText()).isEqualTo("Progress: done");
        assertThat(browser.findElement(By.cssSelector("#report.local h3")).getText()).contains("NOT a network result");
        screenshot("local");
    }

    private static String code(Map<String, Object> element) {
        @SuppressWarnings("unchecked")
        Map<String, Object> concept = (Map<String, Object>) element.get("code");
        if (concept == null) {
            return "";
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> coding = (List<Map<String, Object>>) concept.get("coding");
        return coding != null && !coding.isEmpty() ? (String) coding.get(0).get("code") : (String) concept.get("text");
    }

    private static void signIn(String name, String pw) {
        WebElement n = browser.findElement(By.id("name"));
        n.clear();
        n.sendKeys(name);
        WebElement p = browser.findElement(By.id("password"));
        p.clear();
        p.sendKeys(pw);
        p.submit();
    }

    private static Object js(String script) {
        ((JavascriptExecutor) browser).executeScript("1"); // the page is loaded and scripts run
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return ((JavascriptExecutor) browser).executeAsyncScript(script);
    }

    private static WebDriverWait wait(Duration d) {
        return new WebDriverWait(browser, d);
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "ui-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
