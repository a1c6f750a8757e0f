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
        // the default small-cell rule (k = 11) over 60 patients a site: some cells are masked, as in real use
        net = NetworkFixture.start(3, 60, List.of(), false);
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
        js("fetch('/ui/api/session', {method: 'DELETE', headers: {'X-Concilium-UI': '1'}}).then(() => arguments[0](1))");
        browser.get(ui);
        wait(Duration.ofSeconds(20)).until(b -> b.findElement(By.id("signin-form")).isDisplayed());
        signIn(LocalUiUsers.STAFF, password);
        wait(Duration.ofSeconds(20)).until(b -> !b.findElements(By.id("who-name")).isEmpty());
        browser.get(ui + "#site");
        wait(Duration.ofSeconds(90)).until(b -> !b.findElements(By.cssSelector("#counts-table tbody tr")).isEmpty());
        int patients = fhir().get(net.sites.get(0).fhirBase() + "/Patient?_count=1&_total=accurate").then()
                .statusCode(200).extract().path("total");
        assertThat(browser.findElement(By.xpath("//table[@id='counts-table']//tr[th='Patient']/td")).getText())
                .isEqualTo(Integer.toString(patients));
        assertThat(browser.findElement(By.id("readiness-table")).getText()).isNotBlank();
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
